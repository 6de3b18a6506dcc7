package dev.myrmex.sched;

/**
 * A stream of virtual threads that the scheduler can tell apart: one per agent, or one per priority class. Threads
 * started from {@link #threadBuilder()} are carried by the scheduler like any other, and every run of their
 * continuations passes through the lane's {@link RunHook}. This is the hook scheduling policies (fair share,
 * priorities, rate limits) are built on.
 *
 * <pre>{@code
 * Lane lane = scheduler.newLane("analyzer-7", new RunHook() {
 *     public void afterRun() { turns.increment(); }
 * });
 * Thread t = lane.threadBuilder().name("analyzer-7").start(() -> analyze());
 * }</pre>
 *
 * A lane used by one thread at a time costs nothing per run beyond the hook; a lane shared by many threads
 * allocates one small object when a different thread than last time is submitted.
 */
public interface Lane {
    /** The name given at creation, for diagnostics. */
    String name();

    /** A builder of virtual threads carried by the scheduler through this lane. */
    Thread.Builder.OfVirtual threadBuilder();

    /**
     * An executor that runs plain tasks on the carriers through this lane (its hook, its group's order), with no
     * virtual thread around them: the same rules as {@link WorkStealingScheduler#carrierExecutor()}.
     */
    java.util.concurrent.Executor executor();

    /**
     * Whether a wake-up of this lane's threads by a thread on the same carrier goes to that carrier's LIFO slot
     * (run next, cache-hot) or to the back of its local queue (wait its turn). True by default. Turning it off
     * suits an overloaded receiver whose wakers should not keep it hot, or round-robin scheduling.
     */
    boolean lifoEligible();

    /**
     * Sets {@link #lifoEligible()}; takes effect from the next wake-up.
     *
     * @throws UnsupportedOperationException for a lane of a {@link LaneGroup}, whose runs are always taken in the
     *                                       group's order
     */
    void lifoEligible(boolean eligible);
}
