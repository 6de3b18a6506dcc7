package dev.myrmex.sched.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * A carrier added while workers are held by runs that do not return (a handler that spins, a call blocked in native
 * code), the way a ForkJoinPool adds a thread to compensate for a blocked one. It has no queue of its own: it takes
 * continuations from the global queue and, one at a time, from the workers' local queues, and what it submits goes to
 * the global queue (it is not a {@link Worker}, so {@link CarrierPool#submit} treats it as an outside thread).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Started by the stall monitor only ({@link SpareCarriers#adjust}); it ends by itself when told to
 *       {@link #retire} (after the run it is in) or when it found nothing to run for the keep-alive.</li>
 *   <li>A consumer of the global queue (MPMC) and of the workers' local queues (SPMC: a poll is a CAS, safe against
 *       their owner and thieves). Never touches a LIFO slot.</li>
 *   <li>The run count and its counters: see {@link Carrier}.</li>
 * </ul>
 */
final class SpareCarrier extends Carrier {
    /** Longest park while idle: a continuation pushed to a busy worker's local queue wakes no spare, so look again. */
    private static final long IDLE_PARK_NANOS = 1_000_000;
    private final SpareCarriers spares;
    private final long keepAliveNanos;
    private volatile boolean retire;

    SpareCarrier(CarrierPool pool, SpareCarriers spares, int number, long keepAliveNanos) {
        super(pool, pool.name() + "-spare-" + number);
        this.spares = spares;
        this.keepAliveNanos = keepAliveNanos;
    }

    @Override
    public void run() {
        try {
            long idleSince = CarrierClock.nanoTime();
            while (!retire && !pool.terminating()) {
                Runnable task = take();
                if (task != null) {
                    runTask(task);
                    idleSince = CarrierClock.nanoTime();
                } else if (CarrierClock.nanoTime() - idleSince >= keepAliveNanos) {
                    break; // not needed any more
                } else {
                    idleWait();
                }
            }
        } finally {
            spares.exited(this);
        }
    }

    /** Tells this spare to end after the run it is in; called by the stall monitor. */
    void retire() {
        retire = true;
        LockSupport.unpark(this);
    }

    boolean retiring() {
        return retire;
    }

    private Runnable take() {
        Runnable t = pool.global.relaxedPoll();
        if (t != null) {
            return t;
        }
        for (Worker w : pool.workers()) {
            t = w.local.relaxedPoll();
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /**
     * Parks until a submission to the global queue wakes it, or for at most {@link #IDLE_PARK_NANOS}. Announcing
     * itself idle (a SeqCst update) before looking at the queue once more pairs with the submitter's fence between its
     * offer and its read of the idle count: one of the two sees the other.
     */
    private void idleWait() {
        spares.idleBegins();
        try {
            if (pool.global.isEmpty() && !retire) {
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
            }
        } finally {
            spares.idleEnds();
        }
    }
}
