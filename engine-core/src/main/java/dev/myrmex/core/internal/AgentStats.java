package dev.myrmex.core.internal;

import dev.myrmex.core.Message;
import dev.myrmex.core.time.RuntimeClock;

/**
 * One agent's processing statistics, from sampled messages: an exponential moving average of the time a message takes
 * and of the message rate, and (into the runtime's recorder) the time sampled messages waited in the mailbox.
 *
 * <p>Timing every message would cost two clock reads per message, more than a whole hop on some machines; one message
 * in {@link #SAMPLE_EVERY} is timed instead, which keeps the averages honest for any agent that is busy enough for
 * them to matter. The agent's first message is always sampled.
 *
 * <p>Writer: the agent's behavior side, one incarnation at a time. Readers: any thread, through the volatile fields
 * (each a true recent value; the set of them is not one atomic snapshot).
 */
final class AgentStats {
    /** One message in this many is timed. */
    static final int SAMPLE_EVERY = 32;
    /** The weight of a new sample in the moving averages. */
    private static final double ALPHA = 0.2;
    /** Without a sample for this long, the rate is read as what arrived since the last one, so idle agents decay. */
    private static final long STALE_NANOS = 1_000_000_000L;

    private final RuntimeClock clock;
    private volatile double processingNanos;
    private volatile double perSecond;
    private volatile long lastSampleAt;
    private volatile long lastSampleReceived;

    /** {@code clock}: the runtime's, the one the mailbox stamps are read with. */
    AgentStats(RuntimeClock clock) {
        this.clock = clock;
    }

    /** A sampled message is about to be processed; {@code receivedSoFar} counts it. Returns the start time. */
    long begin(Message<?> m, long receivedSoFar, LatencyRecorder mailboxLatency) {
        long now = clock.nanoTime();
        mailboxLatency.record(now - m.enqueuedNanos()); // a stamp is never after its send (MessageStamps)
        long last = lastSampleAt;
        if (last != 0 && now > last) {
            double rate = (receivedSoFar - lastSampleReceived) * 1e9 / (now - last);
            double old = perSecond;
            perSecond = old == 0 ? rate : old + ALPHA * (rate - old);
        }
        lastSampleAt = now;
        lastSampleReceived = receivedSoFar;
        return now;
    }

    /** The sampled message that began at {@code startedAt} is done. */
    void end(long startedAt) {
        double took = clock.nanoTime() - startedAt;
        double old = processingNanos;
        processingNanos = old == 0 ? took : old + ALPHA * (took - old);
    }

    double processingNanos() {
        return processingNanos;
    }

    /** The moving average of the rate, or the rate since the last sample if that is long ago (an idle agent). */
    double messagesPerSecond(long receivedNow) {
        long last = lastSampleAt;
        if (last == 0) {
            return 0;
        }
        long idle = clock.nanoTime() - last;
        if (idle > STALE_NANOS) {
            return Math.min(perSecond, (receivedNow - lastSampleReceived) * 1e9 / idle);
        }
        return perSecond;
    }
}
