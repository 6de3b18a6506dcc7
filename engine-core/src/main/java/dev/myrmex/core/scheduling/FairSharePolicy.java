package dev.myrmex.core.scheduling;

import dev.myrmex.core.time.RuntimeClock;

/**
 * {@link SchedulingPolicy#fairShare}: runs ordered by the processing time each agent has used (its virtual runtime),
 * each run bounded by a message budget and a time slice.
 *
 * <p>{@link #floor} approximates the smallest virtual runtime still in play: each run raises it to the rank it ran
 * at (runs start in rank order, so that is about the queue's minimum). It is written by concurrent runs without a lock
 * (a lost update leaves it a little low, which only lets a waking agent in slightly earlier). An agent that was idle
 * comes back one time slice below the floor, as Linux's CFS places a waking task: ahead of the busy agents, so that
 * an occasional message is served at once, but with one slice of credit, not with all the time it spent idle.
 */
final class FairSharePolicy implements SchedulingPolicy {
    private final int messageBudget;
    private final long sliceNanos;
    private volatile long floor;

    FairSharePolicy(int messageBudget, long sliceNanos) {
        this.messageBudget = messageBudget;
        this.sliceNanos = sliceNanos;
    }

    @Override
    public String name() {
        return "FAIR_SHARE";
    }

    @Override
    public AgentSchedule schedule(ScheduledAgent agent, RuntimeClock clock) {
        return new Schedule(new RunBudget(messageBudget, sliceNanos, clock), clock);
    }

    @Override
    public String toString() {
        return "FAIR_SHARE[budget " + messageBudget + ", slice " + sliceNanos + " ns]";
    }

    private final class Schedule implements AgentSchedule {
        private final RunBudget budget;
        private final RuntimeClock clock;
        /** Processing time used, in nanoseconds, lifted to the floor when the agent comes back from idleness. */
        private volatile long virtualRuntime;

        Schedule(RunBudget budget, RuntimeClock clock) {
            this.budget = budget;
            this.clock = clock;
            this.virtualRuntime = floor - sliceNanos;
        }

        @Override
        public long rank() {
            long v = virtualRuntime;
            long least = floor - sliceNanos;
            if (v - least < 0) {
                virtualRuntime = v = least;
            }
            return v;
        }

        @Override
        public void runStarted() {
            budget.start();
            long v = virtualRuntime;
            if (v - floor > 0) {
                floor = v;
            }
        }

        @Override
        public long admit() {
            return budget.admit();
        }

        @Override
        public void runEnded() {
            virtualRuntime += clock.nanoTime() - budget.startedAt();
        }
    }
}
