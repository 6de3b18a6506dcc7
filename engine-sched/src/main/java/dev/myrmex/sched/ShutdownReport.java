package dev.myrmex.sched;

import java.util.List;

/**
 * What {@link WorkStealingScheduler#shutdown} left behind.
 *
 * @param liveThreads   virtual threads of this scheduler still alive when the workers stopped; they were not
 *                      killed: their continuations run on fallback platform threads from then on
 * @param threadNames   a description of each ({@link Thread#toString()}: id, name, state)
 * @param fallbackRuns  continuations handed to fallback platform threads so far
 */
public record ShutdownReport(int liveThreads, List<String> threadNames, long fallbackRuns) {
    /** True if every virtual thread had ended before the workers stopped. */
    public boolean clean() {
        return liveThreads == 0;
    }
}
