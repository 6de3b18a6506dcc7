package dev.myrmex.core.scheduling;

import dev.myrmex.core.time.RuntimeClock;

/**
 * {@link SchedulingPolicy#priority}: a run's rank is the time it was queued plus one aging step per level below
 * CRITICAL, an earliest-deadline order in which waiting is what promotes a run.
 */
final class PriorityPolicy implements SchedulingPolicy {
    private static final int TOP = Priority.CRITICAL.ordinal();

    private final long agingNanos;
    private final int messageBudget;
    private final long sliceNanos;

    PriorityPolicy(long agingNanos, int messageBudget, long sliceNanos) {
        this.agingNanos = agingNanos;
        this.messageBudget = messageBudget;
        this.sliceNanos = sliceNanos;
    }

    @Override
    public String name() {
        return "PRIORITY";
    }

    @Override
    public AgentSchedule schedule(ScheduledAgent agent, RuntimeClock clock) {
        long handicap = (TOP - agent.priority().ordinal()) * agingNanos;
        RunBudget budget = new RunBudget(messageBudget, sliceNanos, clock);
        return new AgentSchedule() {
            @Override
            public long rank() {
                return clock.nanoTime() + handicap;
            }

            @Override
            public void runStarted() {
                budget.start();
            }

            @Override
            public long admit() {
                return budget.admit();
            }
        };
    }

    @Override
    public String toString() {
        return "PRIORITY[aging step " + agingNanos + " ns, budget " + messageBudget + ", slice " + sliceNanos + " ns]";
    }
}
