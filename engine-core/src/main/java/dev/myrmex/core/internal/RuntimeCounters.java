package dev.myrmex.core.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * Runtime-wide event counters that agents and supervisors add to from any thread ({@link LongAdder}s: no contention
 * on the hot path); read by the runtime's metrics snapshot. It also carries the runtime's {@link RuntimeEvents}, the
 * other runtime-wide sink every agent reports to.
 */
public final class RuntimeCounters {
    private final RuntimeEvents events;
    private final MessageStamps stamps;
    private final CrashLog crashes;
    private final LongAdder restarts = new LongAdder();
    private final LongAdder escalations = new LongAdder();
    private final LongAdder hookFailures = new LongAdder();
    private final LongAdder livenessFailures = new LongAdder();
    private final LongAdder mutes = new LongAdder();
    private final LongAdder endedReceived = new LongAdder();
    private final LatencyRecorder mailboxLatency = new LatencyRecorder();
    private final LatencyRecorder spawnLatency = new LatencyRecorder();
    private final dev.myrmex.core.time.RuntimeClock clock;

    /** Counters whose events go nowhere: for cells made outside a runtime. */
    public RuntimeCounters() {
        this(RuntimeEvents.NONE, new MessageStamps(dev.myrmex.core.time.RuntimeClock.system(), false, "detached"),
                dev.myrmex.core.time.RuntimeClock.system());
    }

    /** {@code clock} is the runtime's: it times the crash log's windows and muted handlers' kept sends. */
    public RuntimeCounters(RuntimeEvents events, MessageStamps stamps, dev.myrmex.core.time.RuntimeClock clock) {
        this.events = events;
        this.stamps = stamps;
        this.crashes = new CrashLog(clock);
        this.clock = clock;
    }

    /** The runtime's clock. */
    public dev.myrmex.core.time.RuntimeClock clock() {
        return clock;
    }

    /** The runtime's message stamps: enqueue times, and the clock they are read with. */
    public MessageStamps stamps() {
        return stamps;
    }

    /** Where lifecycle events go: the runtime's journal. */
    public RuntimeEvents events() {
        return events;
    }

    /** Where agents' failures are logged, rate-limited per agent. */
    CrashLog crashes() {
        return crashes;
    }

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

    /** A non-blocking handler was muted by a full or pressured mailbox. */
    public void muted() {
        mutes.increment();
    }

    public long mutes() {
        return mutes.sum();
    }

    /** An agent ended having taken {@code received} messages: they stay in the runtime's total. */
    void ended(long received) {
        endedReceived.add(received);
    }

    /** Messages taken by agents that have ended. */
    public long endedReceived() {
        return endedReceived.sum();
    }

    /** Enqueue-to-dequeue time of sampled messages. */
    public LatencyRecorder mailboxLatency() {
        return mailboxLatency;
    }

    /** Time a sampled spawn took. */
    public LatencyRecorder spawnLatency() {
        return spawnLatency;
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
