package dev.myrmex.sched.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A carrier thread of a pool, a {@link Worker} or a {@link SpareCarrier}: what both run a continuation with, and what
 * the {@link StallMonitor} reads of both.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #runCount}: written by this carrier only (release), read by the stall monitor (acquire). Odd while a
 *       continuation runs, even between runs.</li>
 *   <li>{@code tasksRun} and {@code taskFailures}: written by this carrier only, read racily by stats.</li>
 *   <li>{@code lastSeenRunCount} and {@code sameRunSince}: the stall monitor's only ({@link #observe}).</li>
 * </ul>
 */
abstract class Carrier extends Thread {
    private static final VarHandle RUN_COUNT;

    static {
        try {
            RUN_COUNT = MethodHandles.lookup().findVarHandle(Carrier.class, "runCount", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final CarrierPool pool;
    @SuppressWarnings("unused") // accessed through RUN_COUNT
    private volatile long runCount;
    long tasksRun;
    long taskFailures;
    /** The stall monitor's: the run count it saw at its last pass (-1: nothing to compare with). */
    long lastSeenRunCount = -1;
    /** The stall monitor's: when it first saw this carrier in the run it is in. */
    long sameRunSince;

    Carrier(CarrierPool pool, String name) {
        super(null, null, name, 0, false);
        this.pool = pool;
        setDaemon(true);
    }

    /** Runs one continuation (or carrier task); one that throws is counted and reported, and the carrier goes on. */
    final void runTask(Runnable task) {
        long rc = (long) RUN_COUNT.getOpaque(this);
        RUN_COUNT.setRelease(this, rc + 1);
        try {
            task.run();
        } catch (Throwable t) {
            taskFailures++;
            pool.reportTaskFailure(getName(), task, t);
        } finally {
            RUN_COUNT.setRelease(this, rc + 2);
            tasksRun++;
        }
    }

    final long runCount() {
        return (long) RUN_COUNT.getAcquire(this);
    }

    /**
     * The stall monitor's look at this carrier at {@code now}: true if it is in the same run as at the last look. A
     * carrier found in a new run (or between runs) starts its same-run clock now.
     */
    final boolean observe(long now) {
        long rc = runCount();
        boolean inSameRun = (rc & 1) == 1 && rc == lastSeenRunCount;
        if (!inSameRun) {
            sameRunSince = now;
        }
        lastSeenRunCount = rc;
        return inSameRun;
    }
}
