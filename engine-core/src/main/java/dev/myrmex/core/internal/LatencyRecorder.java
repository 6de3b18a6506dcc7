package dev.myrmex.core.internal;

import dev.myrmex.core.metrics.LatencySnapshot;
import dev.myrmex.sched.SpinLock;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies recorded by many threads, read as percentiles since the start.
 *
 * <p>Writers: any thread, {@link #record}, wait-free. The recorder has a fixed range (1 ns to an hour, so its
 * histograms are atomic ones): an auto-resizing recorder takes a lock and sleeps while it grows, and a virtual thread
 * parked there while holding it once left both carriers blocked on that lock inside non-blocking handlers, a
 * deadlock. Values above an hour count as an hour. Reader: whoever takes a {@link #snapshot}, one at a time; it swaps
 * the recorder's interval histogram out and adds it into the running total, so nothing recorded is lost or counted
 * twice. A snapshot may wait briefly for writers in flight (each is a few instructions from done). Readers take turns
 * on a {@link SpinLock}, as metrics may be read on a carrier (a handler's turn): the recorder's own reader lock then
 * never has a waiter, and nothing here parks.
 */
public final class LatencyRecorder {
    /** The largest latency told apart from others; anything longer is recorded as this. */
    public static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);
    private static final int SIGNIFICANT_DIGITS = 3;

    private final SpinLock readers = new SpinLock();
    private final Recorder recorder = new Recorder(1, HIGHEST_NANOS, SIGNIFICANT_DIGITS);
    private final Histogram total = new Histogram(SIGNIFICANT_DIGITS); // guarded by readers
    private Histogram interval; // guarded by readers; recycled between snapshots

    /** Records one latency in nanoseconds; a negative value (clock skew between threads) counts as 0. */
    public void record(long nanos) {
        recorder.recordValue(Math.clamp(nanos, 0, HIGHEST_NANOS));
    }

    /** Everything recorded so far. */
    public LatencySnapshot snapshot() {
        readers.lock();
        try {
            interval = recorder.getIntervalHistogram(interval);
            total.add(interval);
            if (total.getTotalCount() == 0) {
                return LatencySnapshot.EMPTY;
            }
            return new LatencySnapshot(total.getTotalCount(), total.getMean(),
                    total.getValueAtPercentile(50), total.getValueAtPercentile(90), total.getValueAtPercentile(99),
                    total.getValueAtPercentile(99.9), total.getMaxValue());
        } finally {
            readers.unlock();
        }
    }
}
