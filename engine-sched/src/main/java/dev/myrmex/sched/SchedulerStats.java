package dev.myrmex.sched;

import java.util.List;

/**
 * A snapshot of a scheduler's counters. Counters are written by their owning worker without synchronisation and read
 * here racily: each is a true value from the recent past, and totals may lag by the runs in flight.
 *
 * @param workers             number of carrier threads
 * @param tasksRun            continuation runs, all workers
 * @param lifoHits            runs taken from a LIFO slot (a woken thread ran next on its waker's carrier)
 * @param steals              successful steals (each takes half of a victim's local queue)
 * @param stolenTasks         continuations moved by steals
 * @param globalPolls         continuations taken from the global queue
 * @param parks               times a worker parked for lack of work
 * @param wakeups             times a parked worker was woken to search for work
 * @param externalSubmissions continuations submitted from threads the scheduler does not carry
 * @param stallRescues        times the stall monitor moved work away from a stuck carrier
 * @param rescuedTasks        continuations moved by those rescues
 * @param sparesStarted       spare carriers started since the scheduler was built, each while runs held carriers
 * @param sparesRunning       spare carriers alive now
 * @param fallbackRuns        continuations handed to the fallback platform threads after shutdown
 * @param globalQueueDepth    continuations waiting in the global queue now
 * @param perWorker           the same, per worker, with queue depths
 */
public record SchedulerStats(int workers, long tasksRun, long lifoHits, long steals, long stolenTasks,
                             long globalPolls, long parks, long wakeups, long externalSubmissions,
                             long stallRescues, long rescuedTasks, long sparesStarted, int sparesRunning,
                             long fallbackRuns, int globalQueueDepth,
                             List<WorkerStats> perWorker) {

    /**
     * One worker's counters.
     *
     * @param localQueueDepth continuations in its local queue now
     * @param lifoOccupied    whether its LIFO slot holds a continuation now
     * @param parked          whether it is parked now
     */
    public record WorkerStats(int index, long tasksRun, long lifoHits, long steals, long stolenTasks,
                              long globalPolls, long parks, long taskFailures, int localQueueDepth,
                              boolean lifoOccupied, boolean parked) {
    }

    /** Sums the per-worker counters. */
    public static SchedulerStats of(List<WorkerStats> perWorker, int globalQueueDepth, long externalSubmissions,
                                    long wakeups, long stallRescues, long rescuedTasks, long sparesStarted,
                                    int sparesRunning, long fallbackRuns) {
        long run = 0, lifo = 0, steals = 0, stolen = 0, global = 0, parks = 0;
        for (WorkerStats w : perWorker) {
            run += w.tasksRun;
            lifo += w.lifoHits;
            steals += w.steals;
            stolen += w.stolenTasks;
            global += w.globalPolls;
            parks += w.parks;
        }
        return new SchedulerStats(perWorker.size(), run, lifo, steals, stolen, global, parks, wakeups,
                externalSubmissions, stallRescues, rescuedTasks, sparesStarted, sparesRunning, fallbackRuns,
                globalQueueDepth,
                List.copyOf(perWorker));
    }
}
