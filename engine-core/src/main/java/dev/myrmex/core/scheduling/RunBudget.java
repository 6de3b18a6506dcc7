package dev.myrmex.core.scheduling;

import dev.myrmex.core.time.RuntimeClock;

/**
 * A run's message budget and time slice, counted by one agent's schedule (its runs never overlap, see
 * {@link AgentSchedule}). The first message of a run is always admitted, so every run makes progress.
 */
final class RunBudget {
    private final int messages;
    private final long sliceNanos; // 0: no time slice
    private final RuntimeClock clock;
    private int taken;
    private long startedAt;

    RunBudget(int messages, long sliceNanos, RuntimeClock clock) {
        this.messages = messages;
        this.sliceNanos = sliceNanos;
        this.clock = clock;
    }

    /** A run begins: the count starts again, and with a time slice, the clock is read. */
    void start() {
        taken = 0;
        if (sliceNanos > 0) {
            startedAt = clock.nanoTime();
        }
    }

    /** GO, counting the message, or YIELD when the budget or the slice is spent. */
    long admit() {
        if (taken >= messages || taken > 0 && sliceNanos > 0 && clock.nanoTime() - startedAt >= sliceNanos) {
            return AgentSchedule.YIELD;
        }
        taken++;
        return AgentSchedule.GO;
    }

    /** When the current run started, by the clock; kept only for a budget with a time slice. */
    long startedAt() {
        return startedAt;
    }
}
