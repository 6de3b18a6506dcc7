package dev.myrmex.sched.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The spare carriers of one pool: how many are running, when to add one and when to let one go.
 *
 * <p>A carrier is <em>held</em> when it has been in one run for at least the spare threshold. While fewer carriers than
 * the pool has workers are free (not held) and work is waiting, the stall monitor starts a spare, one per pass, up to
 * the bound; while more are free than the pool has workers, it retires one. So the pool keeps its parallelism while
 * runs hold carriers, never runs more than {@code workers + max} carriers, and shrinks back as held runs return.
 *
 * <h2>Contract</h2>
 * {@link #adjust} is called by the stall monitor only. {@link #wakeIdle} is called by any thread that submitted to the
 * global queue, after a full fence. Spares call {@link #idleBegins}, {@link #idleEnds} and {@link #exited} for
 * themselves. {@link #live} is copy-on-write: spares come and go rarely, and every reader iterates a snapshot.
 */
final class SpareCarriers {
    private final CarrierPool pool;
    private final int max;
    private final long keepAliveNanos;
    private final List<SpareCarrier> live = new CopyOnWriteArrayList<>();
    private final AtomicInteger idle = new AtomicInteger();
    private final LongAdder started = new LongAdder();
    private int numbered; // the monitor's: names the next spare

    SpareCarriers(CarrierPool pool, int max, long keepAliveNanos) {
        this.pool = pool;
        this.max = max;
        this.keepAliveNanos = keepAliveNanos;
    }

    List<SpareCarrier> live() {
        return live;
    }

    /**
     * One decision of the stall monitor, given how many carriers (workers and spares) are held now and whether any
     * continuation waits to run.
     */
    void adjust(int heldCarriers, boolean workWaiting) {
        int workers = pool.workerCount();
        int running = 0;
        for (SpareCarrier s : live) {
            if (!s.retiring()) {
                running++;
            }
        }
        int free = workers + running - heldCarriers;
        if (free < workers && workWaiting && running < max && !pool.terminating()) {
            SpareCarrier s = new SpareCarrier(pool, this, numbered++, keepAliveNanos);
            live.add(s);
            started.increment();
            s.start();
        } else if (free > workers) {
            for (SpareCarrier s : live) {
                if (!s.retiring() && (s.runCount() & 1) == 0) { // between runs: a held one is not the one to let go
                    s.retire();
                    break;
                }
            }
        }
    }

    /** A submission reached the global queue (the caller fenced after it): wake the spares that wait for work. */
    void wakeIdle() {
        if (idle.get() != 0) {
            for (SpareCarrier s : live) {
                LockSupport.unpark(s);
            }
        }
    }

    void idleBegins() {
        idle.getAndIncrement();
    }

    void idleEnds() {
        idle.getAndDecrement();
    }

    void exited(SpareCarrier s) {
        live.remove(s);
    }

    /** Tells every spare to end (shutdown); each finishes the run it is in. */
    void retireAll() {
        for (SpareCarrier s : live) {
            s.retire();
        }
    }

    long started() {
        return started.sum();
    }

    int running() {
        return live.size();
    }
}
