package dev.myrmex.core.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * Runtime-wide event counters that agents and supervisors add to from any thread ({@link LongAdder}s: no contention
 * on the hot path); read by the runtime's metrics snapshot.
 */
public final class RuntimeCounters {
    private final LongAdder restarts = new LongAdder();
    private final LongAdder escalations = new LongAdder();
    private final LongAdder hookFailures = new LongAdder();
    private final LongAdder livenessFailures = new LongAdder();

    void restarted() {
        restarts.increment();
    }

    /** A supervision tree's root failed: its failure had nowhere further to go. */
    public void escalatedToRuntime() {
        escalations.increment();
    }

    void hookFailed() {
        hookFailures.increment();
    }

    public void livenessFailed() {
        livenessFailures.increment();
    }

    public long restarts() {
        return restarts.sum();
    }

    public long escalations() {
        return escalations.sum();
    }

    public long hookFailures() {
        return hookFailures.sum();
    }

    public long livenessFailures() {
        return livenessFailures.sum();
    }
}
