package dev.myrmex.core.scheduling;

import dev.myrmex.core.time.RuntimeClock;

/** {@link SchedulingPolicy#DIRECT}: the runtime recognises it and puts no policy layer in the way. */
final class DirectPolicy implements SchedulingPolicy {
    static final DirectPolicy INSTANCE = new DirectPolicy();

    private DirectPolicy() {
    }

    @Override
    public String name() {
        return "DIRECT";
    }

    @Override
    public AgentSchedule schedule(ScheduledAgent agent, RuntimeClock clock) {
        throw new UnsupportedOperationException("DIRECT has no per-agent schedule: its runs go straight to the "
                + "carriers");
    }

    @Override
    public String toString() {
        return "DIRECT";
    }
}
