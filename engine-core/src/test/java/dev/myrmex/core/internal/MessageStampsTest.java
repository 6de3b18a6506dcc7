package dev.myrmex.core.internal;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.myrmex.core.time.RuntimeClock;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The bounds {@link MessageStamps} promises: a stamp is never after its send, a reading is never reused once its epoch
 * has ended, a slow sender is stamped exactly, a flood reads the clock once per {@link MessageStamps#MAX_REUSE}
 * sends, and an idle ticker stops and is woken by the next send. The clock here moves only when the test moves it
 * and counts its reads; the ticker is the real one, so epochs end in real time.
 */
class MessageStampsTest {

    /** A hand-moved clock that counts how often it is read. */
    private static final class CountingClock implements RuntimeClock {
        final AtomicLong now = new AtomicLong(1_000_000);
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public long nanoTime() {
            reads.incrementAndGet();
            return now.get();
        }

        @Override
        public java.time.Instant instant() {
            return RuntimeClock.MANUAL_EPOCH.plusNanos(now.get()); // stamps read nanoTime only
        }

        void advance(long nanos) {
            now.addAndGet(nanos);
        }
    }

    @Test
    void aStampIsNeverAfterItsSendNorBeforeTheSendsBeforeIt() {
        qt().withExamples(200).withShrinkCycles(20)
                .forAll(lists().of(integers().between(0, 3_000)).ofSizeBetween(1, 400))
                .checkAssert(advances -> {
                    CountingClock clock = new CountingClock();
                    try (MessageStamps stamps = new MessageStamps(clock, true, "test")) {
                        stamps.start();
                        MessageStamps.Reading reading = new MessageStamps.Reading();
                        long last = Long.MIN_VALUE;
                        int servedByOneRead = 0;
                        for (int advance : advances) {
                            clock.advance(advance);
                            int readsBefore = clock.reads.get();
                            long stamp = stamps.stamp(reading);
                            assertTrue(stamp <= clock.now.get(), "a stamp after its send");
                            assertTrue(stamp >= last, "a stamp before an earlier send's");
                            servedByOneRead = clock.reads.get() > readsBefore ? 1 : servedByOneRead + 1;
                            assertTrue(servedByOneRead <= MessageStamps.MAX_REUSE,
                                    servedByOneRead + " sends served by one reading");
                            last = stamp;
                        }
                    }
                });
    }

    @Test
    void aSlowSenderIsStampedExactly() {
        CountingClock clock = new CountingClock();
        try (MessageStamps stamps = new MessageStamps(clock, true, "test")) {
            stamps.start();
            MessageStamps.Reading reading = new MessageStamps.Reading();
            for (int i = 0; i < 10_000; i++) {
                clock.advance(2 * MessageStamps.TARGET_AGE_NANOS); // slower than the target age: no reuse pays
                assertEquals(clock.now.get(), stamps.stamp(reading), "send " + i);
            }
        }
    }

    @Test
    void aFloodReadsTheClockOncePerMaxReuseSends() {
        CountingClock clock = new CountingClock();
        try (MessageStamps stamps = new MessageStamps(clock, true, "test")) {
            stamps.start();
            MessageStamps.Reading reading = new MessageStamps.Reading();
            int sends = 640_000;
            int epochBefore = stamps.epoch();
            int readsBefore = clock.reads.get();
            for (int i = 0; i < sends; i++) {
                stamps.stamp(reading); // the clock stands still: every reuse run is short enough to double
            }
            int reads = clock.reads.get() - readsBefore;
            int epochs = stamps.epoch() - epochBefore;
            // one read per MAX_REUSE sends, one more per epoch begun (and per ticker wake), log2(MAX_REUSE) to ramp up
            int bound = sends / MessageStamps.MAX_REUSE + 2 * epochs + 7;
            assertTrue(reads <= bound, reads + " clock reads for " + sends + " sends over " + epochs
                    + " epochs; at most " + bound + " expected");
        }
    }

    @Test
    void aReadingIsNotReusedOnceItsEpochHasEnded() throws InterruptedException {
        CountingClock clock = new CountingClock();
        try (MessageStamps stamps = new MessageStamps(clock, true, "test")) {
            stamps.start();
            AtomicBoolean done = new AtomicBoolean();
            // Another sender keeps reusing its reading, so the ticker keeps ticking and the epoch is what ends reuse.
            Thread other = Thread.ofPlatform().start(() -> {
                while (!done.get()) {
                    stamps.stamp(null);
                }
            });
            try {
                MessageStamps.Reading reading = new MessageStamps.Reading();
                Await.until(stamps::ticking, "the ticker runs");
                Await.until(() -> {
                    stamps.stamp(reading);
                    return reading.left > 1 && reading.epoch == stamps.epoch();
                }, "a reading with sends left in the current epoch");
                int epoch = reading.epoch;
                clock.advance(Duration.ofMillis(5).toNanos());
                Await.until(() -> stamps.epoch() != epoch, "a new epoch");
                assertTrue(stamps.ticking(), "the ticker kept ticking");
                assertEquals(clock.now.get(), stamps.stamp(reading), "a reading reused after its epoch ended");
            } finally {
                done.set(true);
                other.join(WATCHDOG);
            }
        }
    }

    @Test
    void anIdleTickerStopsAndTheNextSendWakesIt() {
        CountingClock clock = new CountingClock();
        try (MessageStamps stamps = new MessageStamps(clock, true, "test")) {
            stamps.start();
            MessageStamps.Reading reading = new MessageStamps.Reading();
            stamps.stamp(reading);
            Await.until(() -> !stamps.ticking(), "the idle ticker stops");
            clock.advance(1);
            int epoch = stamps.epoch(); // still: the ticker ended its last epoch before it stopped
            assertEquals(clock.now.get(), stamps.stamp(reading), "a send to a stopped ticker reads the clock");
            Await.until(() -> stamps.epoch() != epoch, "the woken ticker begins an epoch");
        }
    }

    @Test
    void withoutReuseOrTickerOrOnAVirtualThreadEveryStampIsARead() throws InterruptedException {
        CountingClock clock = new CountingClock();
        try (MessageStamps exact = new MessageStamps(clock, false, "test")) {
            exact.start();
            assertEveryStampIsARead(clock, () -> exact.stamp(new MessageStamps.Reading()));
        }
        try (MessageStamps notStarted = new MessageStamps(clock, true, "test")) {
            MessageStamps.Reading reading = new MessageStamps.Reading();
            assertEveryStampIsARead(clock, () -> notStarted.stamp(reading));
        }
        try (MessageStamps stamps = new MessageStamps(clock, true, "test")) {
            stamps.start();
            AtomicLong failures = new AtomicLong();
            Thread vt = Thread.ofVirtual().start(() -> {
                try {
                    assertEveryStampIsARead(clock, () -> stamps.stamp(null));
                } catch (AssertionError e) {
                    failures.incrementAndGet();
                }
            });
            vt.join(WATCHDOG);
            assertEquals(0, failures.get(), "a virtual thread without a reading of its own reused one");
        }
    }

    private static void assertEveryStampIsARead(CountingClock clock, java.util.function.LongSupplier stamp) {
        for (int i = 0; i < 1_000; i++) {
            int before = clock.reads.get();
            assertEquals(clock.now.get(), stamp.getAsLong());
            assertEquals(before + 1, clock.reads.get(), "send " + i + " did not read the clock once");
        }
    }
}
