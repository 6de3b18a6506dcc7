package dev.myrmex.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.metrics.LatencySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
    @Test
    void valuesOutsideTheRangeAreClampedNotRejected() {
        LatencyRecorder r = new LatencyRecorder();
        r.record(-5);
        r.record(TimeUnit.HOURS.toNanos(3));
        r.record(Long.MAX_VALUE);
        LatencySnapshot s = r.snapshot();
        assertEquals(3, s.count());
        assertEquals(s.maxNanos(), s.p50Nanos(), "two of the three are an hour or more: " + s);
        long max = s.maxNanos();
        assertTrue(max >= LatencyRecorder.HIGHEST_NANOS && max <= LatencyRecorder.HIGHEST_NANOS * 1.001,
                "capped at an hour, within the histogram's precision: " + max);
    }

    @Test
    void snapshotsTakenWhileThreadsRecordLoseAndRepeatNothing() throws InterruptedException {
        LatencyRecorder r = new LatencyRecorder();
        int threads = 4;
        int each = 200_000;
        AtomicBoolean done = new AtomicBoolean();
        List<Long> counts = new ArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            while (!done.get()) {
                counts.add(r.snapshot().count());
            }
        });
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long base = 1L << (10 + 6 * t); // from a microsecond up to minutes: all in the fixed range
            Thread.Builder b = t % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual();
            writers.add(b.start(() -> {
                for (int i = 0; i < each; i++) {
                    r.record(base + i);
                }
            }));
        }
        for (Thread w : writers) {
            w.join();
        }
        done.set(true);
        reader.join();
        assertEquals((long) threads * each, r.snapshot().count());
        assertTrue(!counts.isEmpty(), "the reader took snapshots while the writers ran");
        for (int i = 1; i < counts.size(); i++) {
            assertTrue(counts.get(i) >= counts.get(i - 1), "a snapshot never goes back: " + counts);
        }
    }
}
