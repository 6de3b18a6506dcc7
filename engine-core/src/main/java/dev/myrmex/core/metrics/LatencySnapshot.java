package dev.myrmex.core.metrics;

/**
 * Percentiles of a latency since the runtime started, in nanoseconds (HdrHistogram, 3 significant digits).
 *
 * @param count    values recorded (for sampled latencies, the samples)
 * @param meanNanos the mean
 */
public record LatencySnapshot(long count, double meanNanos, long p50Nanos, long p90Nanos, long p99Nanos,
                              long p999Nanos, long maxNanos) {
    /** Nothing recorded yet. */
    public static final LatencySnapshot EMPTY = new LatencySnapshot(0, 0, 0, 0, 0, 0, 0);
}
