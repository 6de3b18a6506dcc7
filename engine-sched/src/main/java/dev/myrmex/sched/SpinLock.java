package dev.myrmex.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
        if (!HELD.compareAndSet(this, 0, 1)) {
            contended();
        }
    }

    private void contended() {
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
        } while (held != 0 || !HELD.compareAndSet(this, 0, 1));
    }

    /** Takes the lock if it is free. */
    public boolean tryLock() {
        return HELD.compareAndSet(this, 0, 1);
    }

    /** Lets the lock go; only its holder may call this. */
    public void unlock() {
        HELD.setRelease(this, 0);
    }

    @Override
    public String toString() {
        return held != 0 ? "SpinLock[held]" : "SpinLock[free]";
    }
}
