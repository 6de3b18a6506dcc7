package dev.myrmex.core.scheduling;

import dev.myrmex.core.time.RuntimeClock;

/**
 * {@link SchedulingPolicy#rateBased}: a token bucket per agent, kept as the generic cell rate algorithm keeps it: one
 * number, the theoretical arrival time ({@code tat}) of the next message at the exact rate. A message may go when
 * {@code now >= tat - tolerance}, where the tolerance of {@code burst - 1} intervals is the bucket's depth; taking it
 * moves {@code tat} one interval on. Integer nanoseconds throughout, so the rate does not drift.
 */
final class RateBasedPolicy implements SchedulingPolicy {
    private final double messagesPerSecond;
    private final int burst;
    private final long intervalNanos;
    private final long toleranceNanos;

    RateBasedPolicy(double messagesPerSecond, int burst) {
        this.messagesPerSecond = messagesPerSecond;
        this.burst = burst;
        this.intervalNanos = Math.max(1, Math.round(1e9 / messagesPerSecond));
        this.toleranceNanos = (burst - 1) * intervalNanos;
    }

    @Override
    public String name() {
        return "RATE_BASED";
    }

    @Override
    public AgentSchedule schedule(ScheduledAgent agent, RuntimeClock clock) {
        RunBudget budget = new RunBudget(SchedulingPolicy.DEFAULT_BUDGET, 0, clock);
        long born = clock.nanoTime();
        return new AgentSchedule() {
            private long tat = born; // a full bucket at spawn

            @Override
            public long rank() {
                return 0;
            }

            @Override
            public void runStarted() {
                budget.start();
            }

            @Override
            public long admit() {
                long now = clock.nanoTime();
                long wait = tat - toleranceNanos - now;
                if (wait > 0) {
                    return wait;
                }
                if (budget.admit() == YIELD) {
                    return YIELD;
                }
                tat = (tat - now < 0 ? now : tat) + intervalNanos; // the later of the two, wrap-safe
                return GO;
            }
        };
    }

    @Override
    public String toString() {
        return "RATE_BASED[" + messagesPerSecond + "/s, burst " + burst + "]";
    }
}
