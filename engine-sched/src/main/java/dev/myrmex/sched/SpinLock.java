package dev.myrmex.sched;

import dev.myrmex.sched.internal.CarrierClock;
import dev.myrmex.sched.internal.CarrierThreads;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;

/**
 * A lock for short critical sections that never block, entered both by virtual threads and by code running on the
 * carriers themselves (handler turns, the scheduler's drainers). A waiter spins (a platform thread now and then
 * yields to the OS); it is never queued and parked.
 *
 * <p>Why not {@code synchronized} or a {@code ReentrantLock}: a virtual thread that waits for one of those unmounts,
 * and when the holder lets go it must be mounted again to take the lock. If every carrier is meanwhile blocked
 * waiting for the same lock (behind that virtual thread), nothing can mount it: the runtime stops. Seen in the
 * scheduler's lane groups under test (2026-11-21). With this lock a waiting virtual thread stays mounted and spinning,
 * and the holder, which never blocks inside, is always running and soon lets go.
 *
 * <pre>{@code
 * lock.lock();
 * try {
 *     queue.add(run);       // short, and nothing here may park, sleep, wait or do I/O
 * } finally {
 *     lock.unlock();
 * }
 * }</pre>
 *
 * <p>Not reentrant. Ordering: {@link #lock} is an acquire, {@link #unlock} a release, like any lock: what the holder
 * wrote before unlocking is seen by the next holder.
 */
public final class SpinLock {
    private static final VarHandle HELD;
    private static final int SPINS_BEFORE_YIELD = 64;

    static {
        try {
            HELD = MethodHandles.lookup().findVarHandle(SpinLock.class, "held", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through HELD
    private volatile int held;

    /** Takes the lock, spinning while another thread holds it. */
    public void lock() {
        lock(HELD, this);
    }

    /** Takes the lock if it is free. */
    public boolean tryLock() {
        return tryLock(HELD, this);
    }

    /** Lets the lock go; only its holder may call this. */
    public void unlock() {
        unlock(HELD, this);
    }

    /**
     * A condition of this lock, for threads that may wait (virtual threads, outside threads): {@link Waiters#await}
     * lets the lock go and parks until signalled, then takes the lock again. Signalling never parks, so a carrier may
     * signal; a carrier may never wait ({@code await} on one throws). Like a
     * {@link java.util.concurrent.locks.Condition}:
     * wait in a loop that re-checks what it waits for, holding the lock; signal holding the lock.
     */
    public Waiters newWaiters() {
        return new Waiters(this);
    }

    /** Threads waiting for a condition of a {@link SpinLock}; see {@link #newWaiters}. Guarded by its lock. */
    public static final class Waiters {
        private final SpinLock lock;
        private final ArrayDeque<Thread> waiting = new ArrayDeque<>(); // guarded by lock

        private Waiters(SpinLock lock) {
            this.lock = lock;
        }

        /**
         * Lets the lock go, parks until signalled or interrupted, and takes the lock again before it returns (also
         * when it throws). Spurious returns are possible: re-check in a loop. Hold the lock to call it.
         *
         * @throws InterruptedException  if interrupted while waiting
         * @throws IllegalStateException if called on a carrier thread of a {@link WorkStealingScheduler}: carriers
         *                               never park outside the scheduler
         */
        public void await() throws InterruptedException {
            park(false, 0);
        }

        /**
         * {@link #await}, for at most {@code nanos} of the machine's time (a real thread's wait, so never a logical
         * clock's): returns an estimate of the nanoseconds left, 0 or less once the time is up, as
         * {@link java.util.concurrent.locks.Condition#awaitNanos} does. Returns at once if {@code nanos <= 0}.
         *
         * @throws InterruptedException  if interrupted while waiting
         * @throws IllegalStateException if called on a carrier thread, as {@link #await}
         */
        public long awaitNanos(long nanos) throws InterruptedException {
            return nanos <= 0 ? nanos : park(true, nanos);
        }

        private long park(boolean timed, long nanos) throws InterruptedException {
            Thread me = Thread.currentThread();
            if (CarrierThreads.isCarrier(me)) {
                throw new IllegalStateException("a carrier thread may not wait: " + me.getName());
            }
            long deadline = timed ? CarrierClock.nanoTime() + nanos : 0;
            waiting.addLast(me);
            lock.unlock();
            try {
                while (true) {
                    if (!timed) {
                        LockSupport.park(this);
                    } else if (deadline - CarrierClock.nanoTime() > 0) {
                        LockSupport.parkNanos(this, deadline - CarrierClock.nanoTime());
                    }
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    long left = timed ? deadline - CarrierClock.nanoTime() : 0;
                    lock.lock();
                    boolean signalled = !waiting.contains(me);
                    lock.unlock();
                    if (signalled || (timed && left <= 0)) {
                        return left;
                    }
                }
            } finally {
                lock.lock();
                waiting.remove(me); // still there if interrupted or timed out before a signal
            }
        }

        /** Wakes the longest waiter, if any. Hold the lock; never parks. */
        public void signal() {
            Thread t = waiting.pollFirst();
            if (t != null) {
                LockSupport.unpark(t);
            }
        }

        /** Wakes every waiter. Hold the lock; never parks. */
        public void signalAll() {
            Thread t;
            while ((t = waiting.pollFirst()) != null) {
                LockSupport.unpark(t);
            }
        }
    }

    // ---- the same lock, embedded: an int field of the owner's, for objects made by the million ----

    /**
     * Takes the lock held in {@code owner}'s int field that {@code word} (a static final {@link VarHandle}) reaches:
     * the same lock as an instance, with no object of its own (an agent carries one, and a lock object would cost each
     * idle agent 16 bytes). The field starts at 0, free.
     */
    public static void lock(VarHandle word, Object owner) {
        if (!word.compareAndSet(owner, 0, 1)) {
            contended(word, owner);
        }
    }

    /** Takes the embedded lock if it is free. */
    public static boolean tryLock(VarHandle word, Object owner) {
        return word.compareAndSet(owner, 0, 1);
    }

    /** Lets the embedded lock go; only its holder may call this. */
    public static void unlock(VarHandle word, Object owner) {
        word.setRelease(owner, 0);
    }

    private static void contended(VarHandle word, Object owner) {
        boolean platform = !Thread.currentThread().isVirtual();
        int spins = 0;
        do {
            if (platform && ++spins % SPINS_BEFORE_YIELD == 0) {
                Thread.yield(); // the OS's turn: the holder may be waiting for this CPU
            } else {
                // A virtual thread never yields here: its yield re-enters the scheduler, whose idle protocol takes a
                // SpinLock too, and under contention that fed back into a storm of wake-ups (a property test went
                // from 1 s to 90). The holder is running and lets go within a few hundred nanoseconds.
                Thread.onSpinWait();
            }
        } while ((int) word.getVolatile(owner) != 0 || !word.compareAndSet(owner, 0, 1));
    }

    @Override
    public String toString() {
        return held != 0 ? "SpinLock[held]" : "SpinLock[free]";
    }
}
