package dev.myrmex.sched.internal;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Rescues continuations queued behind a stuck carrier. Virtual threads are not pre-empted, and with a custom
 * scheduler the JDK does not compensate for a carrier blocked in native code or pinned (docs/scheduler.md, section 6).
 * A worker that runs one continuation for longer than the threshold, with work waiting in its LIFO slot or local
 * queue, is stalled: the monitor moves that work to the global queue and wakes a sibling to run it (Go's sysmon
 * plays this part; Pony declares a scheduler blocked after 1 ms).
 *
 * <h2>Contract</h2>
 * One monitor thread per scheduler. It reads each worker's run counter (acquire) and, for a stalled worker, takes
 * its LIFO slot by atomic exchange and polls its local queue as a consumer: both are safe against the owner.
 * It sleeps for good while every worker is parked (nothing can stall then) and is woken with the first worker.
 * The running continuation itself cannot be rescued: only what waits behind it. For that, the monitor starts
 * {@linkplain SpareCarriers spare carriers} while runs hold carriers past the spare threshold, and retires them as
 * those runs return (what a ForkJoinPool does for a thread blocked in a managed block, and Go's sysmon for a thread
 * in a system call).
 */
final class StallMonitor extends Thread {
    private final CarrierPool pool;
    private final long intervalNanos;
    private final long spareAfterNanos;
    private final SpareCarriers spares; // null: none may be started
    private long rescues; // written by this thread only, read racily by stats
    private long rescuedTasks;

    StallMonitor(CarrierPool pool, Duration threshold, Duration spareAfter, SpareCarriers spares) {
        super(null, null, pool.name() + "-stall-monitor", 0, false);
        this.pool = pool;
        this.intervalNanos = threshold.toNanos();
        this.spareAfterNanos = spareAfter.toNanos();
        this.spares = spares;
        setDaemon(true);
    }

    @Override
    public void run() {
        while (!pool.terminating()) {
            if (pool.idle.monitorMaySleep(this)) {
                while (pool.idle.monitorSleeping() && !pool.terminating()) {
                    LockSupport.park(this);
                }
                forgetProgress(); // progress seen before the sleep says nothing about now
                continue;
            }
            LockSupport.parkNanos(this, intervalNanos);
            checkOnce();
        }
    }

    private void forgetProgress() {
        for (Worker w : pool.workers()) {
            w.lastSeenRunCount = -1;
        }
    }

    /**
     * One pass. A worker is stalled if it has been in the same run since the last pass and has work queued: that work
     * moves to the global queue. A carrier (worker or spare) is held if it has been in the same run for the spare
     * threshold or longer: the spares are adjusted to the count (see {@link SpareCarriers}).
     */
    private void checkOnce() {
        long now = CarrierClock.nanoTime();
        boolean moved = false;
        boolean workWaiting = false;
        int held = 0;
        for (Worker w : pool.workers()) {
            boolean inSameRun = w.observe(now);
            if (inSameRun && now - w.sameRunSince >= spareAfterNanos) {
                held++;
            }
            if (inSameRun && w.hasQueuedWork()) {
                int n = w.drainTo(pool.global::offer);
                if (n > 0) {
                    rescues++;
                    rescuedTasks += n;
                    moved = true;
                }
            }
            workWaiting |= !w.local.isEmpty();
        }
        if (moved) {
            pool.idle.notifyOne();
        }
        if (spares == null) {
            return;
        }
        if (moved) {
            spares.wakeIdle();
        }
        for (SpareCarrier s : spares.live()) {
            if (s.observe(now) && now - s.sameRunSince >= spareAfterNanos) {
                held++;
            }
        }
        if (held > 0 || !spares.live().isEmpty()) {
            spares.adjust(held, workWaiting || !pool.global.isEmpty());
        }
    }

    long rescues() {
        return rescues;
    }

    long rescuedTasks() {
        return rescuedTasks;
    }
}
