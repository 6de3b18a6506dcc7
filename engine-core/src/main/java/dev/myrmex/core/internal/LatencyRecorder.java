package dev.myrmex.core.internal;

import dev.myrmex.core.LatencySnapshot;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies recorded by many threads, read as percentiles since the start.
 *
 * <p>Writers: any thread, {@link #record} (HdrHistogram's {@link Recorder}: wait-free, no lock). Reader: whoever takes
 * a {@link #snapshot}, serialised on this object; it swaps the recorder's interval histogram out and adds it into the
 * running total, so nothing recorded is lost or counted twice.
 */
public final class LatencyRecorder {
    private static final int SIGNIFICANT_DIGITS = 3;

    private final Recorder recorder = new Recorder(SIGNIFICANT_DIGITS);
    private final Histogram total = new Histogram(SIGNIFICANT_DIGITS); // guarded by this
    private Histogram interval; // guarded by this; recycled between snapshots

    /** Records one latency in nanoseconds; a negative value (clock skew between threads) counts as 0. */
    public void record(long nanos) {
        recorder.recordValue(Math.max(0, nanos));
    }

    /** Everything recorded so far. */
    public synchronized LatencySnapshot snapshot() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        if (total.getTotalCount() == 0) {
            return LatencySnapshot.EMPTY;
        }
        return new LatencySnapshot(total.getTotalCount(), total.getMean(),
                total.getValueAtPercentile(50), total.getValueAtPercentile(90), total.getValueAtPercentile(99),
                total.getValueAtPercentile(99.9), total.getMaxValue());
    }
}
