package dev.myrmex.core.internal;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The timing wheel behind ask timeouts: never early, cancelled means never fired, and an idle ticker wakes up. */
class TimeoutWheelTest {

    @Test
    void aTimeoutFiresAfterItsDelayNeverBefore() throws InterruptedException {
        try (TimeoutWheel wheel = new TimeoutWheel("test-wheel")) {
            for (long delayMs : new long[] {0, 1, 7, 30}) {
                CountDownLatch fired = new CountDownLatch(1);
                long[] at = new long[1];
                long start = System.nanoTime();
                wheel.schedule(() -> {
                    at[0] = System.nanoTime();
                    fired.countDown();
                }, Duration.ofMillis(delayMs));
                assertTrue(fired.await(WATCHDOG.toSeconds(), TimeUnit.SECONDS), "never fired: " + delayMs + " ms");
                assertTrue(at[0] - start >= TimeUnit.MILLISECONDS.toNanos(delayMs),
                        "fired " + (at[0] - start) + " ns after scheduling, before its " + delayMs + " ms");
            }
        }
    }

    @Test
    void aCancelledTimeoutNeverFiresAndLeavesTheWheelAtOnce() throws InterruptedException {
        try (TimeoutWheel wheel = new TimeoutWheel("test-wheel")) {
            AtomicInteger firedCancelled = new AtomicInteger();
            List<TimeoutWheel.Timeout> all = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                all.add(wheel.schedule(firedCancelled::incrementAndGet, Duration.ofMillis(20)));
            }
            Await.until(() -> wheel.size() == 1_000, "the wheel never filed them: " + wheel.size());
            for (TimeoutWheel.Timeout t : all) {
                assertTrue(t.cancel());
                assertFalse(t.cancel(), "cancelled twice");
            }
            Await.until(() -> wheel.size() == 0, "cancelled timeouts stayed in the wheel: " + wheel.size());
            // A marker due after them: once it fires, any of them that was going to fire would have.
            CountDownLatch marker = new CountDownLatch(1);
            wheel.schedule(marker::countDown, Duration.ofMillis(40));
            assertTrue(marker.await(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
            assertEquals(0, firedCancelled.get(), "cancelled timeouts fired");
        }
    }

    @Test
    void concurrentSchedulesAndCancelsEachEndExactlyOnce() throws InterruptedException {
        int threads = 4;
        int perThread = 5_000;
        AtomicIntegerArray fires = new AtomicIntegerArray(threads * perThread);
        AtomicIntegerArray cancels = new AtomicIntegerArray(threads * perThread);
        try (TimeoutWheel wheel = new TimeoutWheel("test-wheel")) {
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                int base = w * perThread;
                Random random = new Random(w);
                workers.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < perThread; i++) {
                        int id = base + i;
                        TimeoutWheel.Timeout t = wheel.schedule(() -> fires.incrementAndGet(id),
                                Duration.ofNanos(random.nextInt(3_000_000)));
                        if (random.nextBoolean() && t.cancel()) {
                            cancels.incrementAndGet(id);
                        }
                    }
                }));
            }
            for (Thread t : workers) {
                assertTrue(t.join(WATCHDOG));
            }
            CountDownLatch marker = new CountDownLatch(1);
            wheel.schedule(marker::countDown, Duration.ofMillis(10)); // after every deadline above
            assertTrue(marker.await(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
            Await.until(() -> wheel.size() == 0, "left in the wheel: " + wheel.size());
        }
        for (int id = 0; id < threads * perThread; id++) {
            assertEquals(1, fires.get(id) + cancels.get(id),
                    "timeout " + id + " fired " + fires.get(id) + " times and was cancelled " + cancels.get(id));
        }
    }

    /** A task that counts how often it ran and how often it was told the wheel closed first. */
    private record Counted(int id, AtomicIntegerArray runs, AtomicIntegerArray abandons)
            implements TimeoutWheel.Abandonable {
        @Override
        public void run() {
            runs.incrementAndGet(id);
        }

        @Override
        public void abandoned() {
            abandons.incrementAndGet(id);
        }
    }

    @Test
    void aCloseAbandonsEveryPendingTimeoutExactlyOnceEvenWhileSchedulesRaceIt() throws InterruptedException {
        for (int round = 0; round < 20; round++) {
            int threads = 4;
            int max = 20_000;
            AtomicIntegerArray runs = new AtomicIntegerArray(threads * max);
            AtomicIntegerArray abandons = new AtomicIntegerArray(threads * max);
            AtomicIntegerArray scheduled = new AtomicIntegerArray(threads * max); // 1: schedule() returned
            AtomicInteger total = new AtomicInteger();
            TimeoutWheel wheel = new TimeoutWheel("test-wheel");
            List<Thread> producers = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                int base = w * max;
                producers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < max; i++) {
                        int id = base + i;
                        try { // due long after the test: only the close can end it
                            wheel.schedule(new Counted(id, runs, abandons), Duration.ofHours(1));
                        } catch (IllegalStateException closed) {
                            return;
                        }
                        scheduled.set(id, 1);
                        total.incrementAndGet();
                    }
                }));
            }
            Await.until(() -> total.get() >= 1_000, "the producers never got going");
            wheel.close(); // while they still schedule
            for (Thread t : producers) {
                assertTrue(t.join(WATCHDOG));
            }
            Await.until(() -> {
                int told = 0;
                for (int id = 0; id < threads * max; id++) {
                    told += abandons.get(id);
                }
                return told >= total.get();
            }, "scheduled timeouts were never told the wheel closed");
            for (int id = 0; id < threads * max; id++) {
                assertEquals(0, runs.get(id), "timeout " + id + " ran");
                assertEquals(scheduled.get(id), abandons.get(id),
                        "timeout " + id + " was scheduled " + scheduled.get(id) + " times, abandoned " + abandons.get(
                                id));
            }
        }
    }

    @Test
    void anIdleTickerWakesForANewTimeout() throws InterruptedException {
        try (TimeoutWheel wheel = new TimeoutWheel("test-wheel")) {
            for (int round = 0; round < 20; round++) {
                Await.until(wheel::isIdle, "the ticker never went idle");
                CountDownLatch fired = new CountDownLatch(1);
                wheel.schedule(fired::countDown, Duration.ofMillis(1));
                assertTrue(fired.await(WATCHDOG.toSeconds(), TimeUnit.SECONDS), "an idle ticker missed a timeout");
            }
        }
    }
}
