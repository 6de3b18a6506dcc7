package dev.myrmex.core.scheduling;

import dev.myrmex.core.time.RuntimeClock;

/** {@link SchedulingPolicy#roundRobin}: every run ranks the same, so runs go in arrival order, a quantum each. */
final class RoundRobinPolicy implements SchedulingPolicy {
    private final int quantum;

    RoundRobinPolicy(int quantum) {
        this.quantum = quantum;
    }

    @Override
    public String name() {
        return "ROUND_ROBIN";
    }

    @Override
    public AgentSchedule schedule(ScheduledAgent agent, RuntimeClock clock) {
        return new AgentSchedule() {
            private int taken;

            @Override
            public long rank() {
                return 0;
            }

            @Override
            public void runStarted() {
                taken = 0;
            }

            @Override
            public long admit() {
                if (taken == quantum) {
                    return YIELD;
                }
                taken++;
                return GO;
            }
        };
    }

    @Override
    public String toString() {
        return "ROUND_ROBIN[quantum " + quantum + "]";
    }
}
