package dev.myrmex.core.task;

/**
 * The task queue at a glance. The final counts are cumulative since the runtime started (finished tasks are
 * forgotten after a while, their counts are not).
 *
 * @param pending   tasks waiting (for dependencies, a worker, or a retry)
 * @param running   tasks a worker is running
 * @param succeeded tasks that succeeded
 * @param failed    tasks that failed
 * @param cancelled tasks cancelled, or never run because a dependency did not succeed
 * @param timedOut  tasks that ran past their timeout
 * @param paused    whether the queue holds back pending tasks ({@link TaskQueue#pause})
 * @param capacity  the most tasks that may be pending or running at once
 * @param workers   agents registered as workers (a stuck worker no longer is: its replacement is)
 * @param stuckWorkers      workers declared stuck now: their interrupted attempt's thread had not returned within
 *                          the interrupt grace and has not returned yet
 * @param abandonedAttempts attempts whose thread had not returned within the interrupt grace (their worker was
 *                          declared stuck and replaced), since the runtime started
 * @param lateResults       of those, the ones whose thread returned later: their outcome was ignored
 */
public record QueueStatus(int pending, int running, long succeeded, long failed, long cancelled, long timedOut,
                          boolean paused, int capacity, int workers, int stuckWorkers, long abandonedAttempts,
                          long lateResults) {
}
