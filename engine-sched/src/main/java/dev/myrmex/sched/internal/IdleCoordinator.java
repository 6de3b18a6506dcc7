package dev.myrmex.sched.internal;

import dev.myrmex.sched.SpinLock;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Who is searching, who is parked, and who to wake: the protocol that makes sure no runnable continuation is left
 * in a queue while every worker sleeps (no lost wake-ups), without waking a herd of workers for every submission.
 * After Tokio's {@code idle.rs} and the header comment of Go's {@code proc.go}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #state} packs {@code unparked << 16 | searching}; every update is a SeqCst read-modify-write.
 *       Any thread reads it; workers update it for themselves, notifiers update it for the worker they wake.</li>
 *   <li>The sleeper stack and the stall monitor's sleep flag are guarded by {@link #lock}; so are writes of a
 *       worker's sleeping flag, which its worker reads without the lock ({@link #isSleeping}). The lock is never
 *       held across user code and never while blocking; it is a {@code SpinLock}, because virtual threads take it
 *       too (see the field).</li>
 *   <li>Workers are known by index; {@link #attach} gives each index the thread to unpark.</li>
 * </ul>
 *
 * <h2>The Dekker pair that prevents lost wake-ups</h2>
 * A submitter <em>stores</em> its task into a queue, then (full fence) <em>loads</em> {@link #state} in
 * {@link #notifyOne()}: it wakes a sleeper unless some worker is already searching, or none is parked.
 * A searcher that gives up <em>stores</em> its departure into {@link #state} (SeqCst) in
 * {@link #prepareToPark}, then <em>loads</em> every queue again if it was the last searcher.
 * Sequential consistency means at least one of the two sees the other: either the submitter sees no searcher and
 * wakes someone, or the last searcher sees the task and calls {@link #notifyOne()} itself.
 * A worker that parks without having searched relies on the searcher that kept it from searching: that searcher
 * either finds the task, or parks last and re-checks.
 *
 * <h2>Re-check after a change</h2>
 * The full fence in {@link #notifyOne()} and the SeqCst update in {@link #parkPrepare}; the rule "at most half the
 * workers search" ({@link #tryStartSearching()}). Tests: the jcstress pair in {@code IdleProtocolStress} (run by
 * {@code IdleProtocolStressTest}) and {@code LostWakeupStressTest}.
 */
final class IdleCoordinator {
    private static final long UNPARKED_ONE = 1L << 16;
    private static final long SEARCHING_MASK = UNPARKED_ONE - 1;

    private final int workers;
    private final AtomicLong state;
    /**
     * A SpinLock, not a monitor: virtual threads submit from their own context (a handler agent woken by a send), and
     * a virtual thread blocked on a monitor unmounts; it was seen to end up owning this lock while waiting for a
     * carrier, with one carrier blocked on the lock and the other asleep: the runtime stopped.
     */
    private final SpinLock lock = new SpinLock();
    private final Thread[] threads;
    private final AtomicIntegerArray sleeping; // 1 while on the sleeper stack; written under lock
    private final int[] sleepers; // a stack of worker indexes, guarded by lock
    private int sleeperCount; // guarded by lock
    private Thread monitor; // guarded by lock
    private boolean monitorSleeping; // guarded by lock
    private long wakeups; // guarded by lock; read racily by stats

    IdleCoordinator(int workers) {
        this.workers = workers;
        this.state = new AtomicLong(workers * UNPARKED_ONE); // every worker starts unparked, none searching
        this.threads = new Thread[workers];
        this.sleeping = new AtomicIntegerArray(workers);
        this.sleepers = new int[workers];
    }

    /** Names the thread that is worker {@code index}; call once per worker before it runs. */
    void attach(int index, Thread worker) {
        threads[index] = worker;
    }

    /** True while worker {@code index} is on the sleeper stack: it must stay parked. */
    boolean isSleeping(int index) {
        return sleeping.get(index) != 0;
    }

    private static int searching(long s) {
        return (int) (s & SEARCHING_MASK);
    }

    private static int unparked(long s) {
        return (int) (s >>> 16);
    }

    /**
     * Lets the caller become a searcher unless half the workers already search (Tokio
     * {@code transition_worker_to_searching}: bounds the CPU burnt by thieves when there is little to steal).
     */
    boolean tryStartSearching() {
        for (;;) {
            long s = state.get();
            if (2 * searching(s) >= workers) {
                return false;
            }
            if (state.compareAndSet(s, s + 1)) {
                return true;
            }
        }
    }

    /**
     * A searcher found work. Returns true if it was the last searcher: the caller must then call {@link #notifyOne()}.
     */
    boolean stopSearching() {
        return searching(state.getAndDecrement()) == 1;
    }

    /**
     * The parking side of the Dekker pair: records that worker {@code index} is about to park and, if it was the last
     * searcher, re-checks for work with {@code anyWork} and wakes a worker (maybe this one) if there is some. The
     * caller then parks while {@link #isSleeping} holds.
     */
    void prepareToPark(int index, boolean wasSearching, java.util.function.BooleanSupplier anyWork) {
        if (parkPrepare(index, wasSearching) && anyWork.getAsBoolean()) {
            notifyOne();
        }
    }

    /**
     * Records that worker {@code index} is about to park and pushes it on the sleeper stack. Returns true if it was
     * the last searcher. Use {@link #prepareToPark}; this half alone is the broken protocol the tests contrast it with.
     */
    boolean parkPrepare(int index, boolean wasSearching) {
        lock.lock();
        try {
            long prev = state.getAndAdd(-(UNPARKED_ONE + (wasSearching ? 1 : 0)));
            sleepers[sleeperCount++] = index;
            sleeping.set(index, 1);
            return wasSearching && searching(prev) == 1;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Wakes one parked worker, as a searcher, unless a worker is already searching (it will find the work) or no
     * worker is parked. Call it after making work visible in a queue.
     */
    void notifyOne() {
        VarHandle.fullFence(); // the submitter's side of the Dekker pair: queue store before state load
        notifyOneFenced();
    }

    /**
     * {@link #notifyOne()} for a caller that has issued a full fence itself since making its work visible (an
     * external submission shares one fence between this pair and the shutdown check).
     */
    void notifyOneFenced() {
        long s = state.get();
        if (searching(s) != 0 || unparked(s) >= workers) {
            return;
        }
        int woken;
        lock.lock();
        try {
            s = state.get();
            if (searching(s) != 0 || unparked(s) >= workers || sleeperCount == 0) {
                return;
            }
            woken = sleepers[--sleeperCount];
            state.getAndAdd(UNPARKED_ONE + 1); // it wakes up as a searcher
            sleeping.set(woken, 0);
            wakeups++;
            wakeMonitorLocked();
        } finally {
            lock.unlock();
        }
        LockSupport.unpark(threads[woken]);
    }

    /** Takes {@code w} off the sleeper stack if it is still there (it woke on its own: timeout or shutdown). */
    void cancelSleep(int index, boolean asSearcher) {
        lock.lock();
        try {
            if (sleeping.get(index) == 0) {
                return; // a notifier took it off the stack and counted it already
            }
            for (int i = 0; i < sleeperCount; i++) {
                if (sleepers[i] == index) {
                    System.arraycopy(sleepers, i + 1, sleepers, i, sleeperCount - i - 1);
                    sleeperCount--;
                    break;
                }
            }
            sleeping.set(index, 0);
            state.getAndAdd(UNPARKED_ONE + (asSearcher ? 1 : 0));
            wakeMonitorLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every parked worker (shutdown). */
    void wakeAll() {
        int[] woken;
        lock.lock();
        try {
            woken = Arrays.copyOf(sleepers, sleeperCount);
            for (int index : woken) {
                sleeping.set(index, 0);
            }
            sleeperCount = 0;
            wakeMonitorLocked();
        } finally {
            lock.unlock();
        }
        for (int index : woken) {
            LockSupport.unpark(threads[index]);
        }
    }

    int searchingCount() {
        return searching(state.get());
    }

    int unparkedCount() {
        return unparked(state.get());
    }

    long wakeups() {
        return wakeups; // racy read of a counter: a slightly stale value is fine for statistics
    }

    /**
     * Called by the stall monitor: if every worker is parked, marks the monitor sleeping and returns true; the
     * monitor then parks until the next worker wakes (nothing can stall while every worker sleeps).
     */
    boolean monitorMaySleep(Thread monitorThread) {
        lock.lock();
        try {
            monitor = monitorThread;
            if (unparked(state.get()) == 0) {
                monitorSleeping = true;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    boolean monitorSleeping() {
        lock.lock();
        try {
            return monitorSleeping;
        } finally {
            lock.unlock();
        }
    }

    private void wakeMonitorLocked() {
        if (monitorSleeping) {
            monitorSleeping = false;
            LockSupport.unpark(monitor);
        }
    }
}
