package dev.myrmex.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Runs that never return hold every worker: spare carriers keep the rest of the work moving, stay within their bound,
 * and end once the held runs return.
 */
class SpareCarrierTest {

    /** Occupies {@code n} carriers with runs that spin until {@code release}; returns once all of them are spinning. */
    private static void holdCarriers(WorkStealingScheduler s, int n,
            AtomicBoolean release) throws InterruptedException {
        CountDownLatch spinning = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            s.carrierExecutor().execute(() -> {
                spinning.countDown();
                while (!release.get()) {
                    Thread.onSpinWait(); // no park, no return: a handler stuck in a loop, or in native code
                }
            });
        }
        Await.latch(spinning, s::stats);
    }

    @Test
    void workKeepsMovingWhileEveryWorkerIsHeldAndTheSparesEndWhenTheRunsReturn() throws Exception {
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(2)
                .spareAfter(Duration.ofMillis(20)).build()) {
            AtomicBoolean release = new AtomicBoolean();
            try {
                holdCarriers(s, 2, release);
                assertWorkMovesAndSparesEnd(s, release);
            } finally {
                release.set(true); // a failed check must not leave the carriers spinning, or close() waits for ever
            }
        }
    }

    private static void assertWorkMovesAndSparesEnd(WorkStealingScheduler s, AtomicBoolean release)
            throws InterruptedException {
        {
            CountDownLatch ran = new CountDownLatch(200);
            Executor carriers = s.carrierExecutor();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                carriers.execute(ran::countDown);
                threads.add(s.threadBuilder().start(() -> {
                    Thread.yield(); // parks and resubmits: continuations, not just first runs, must be carried
                    ran.countDown();
                }));
            }
            Await.latch(ran, () -> "work stood still behind two held workers; " + s.stats());
            for (Thread t : threads) {
                Await.join(t, s::stats);
            }
            SchedulerStats held = s.stats();
            assertTrue(held.sparesStarted() >= 1, held.toString());
            assertTrue(held.sparesRunning() <= 2, "bounded by the default, one per worker: " + held);

            release.set(true);
            Await.until(() -> s.stats().sparesRunning() == 0, () -> "spares outlived the held runs; " + s.stats());
        }
    }

    @Test
    void sparesAreBoundedEvenWhenTheyAreHeldToo() throws Exception {
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(2).maxSpares(1)
                .spareAfter(Duration.ofMillis(10)).build()) {
            AtomicBoolean release = new AtomicBoolean();
            try {
                assertBounded(s, release);
            } finally {
                release.set(true);
            }
        }
    }

    private static void assertBounded(WorkStealingScheduler s, AtomicBoolean release) throws InterruptedException {
        {
            holdCarriers(s, 3, release); // the third spins on the one spare allowed
            AtomicInteger maxSeen = new AtomicInteger();
            CountDownLatch later = new CountDownLatch(1);
            s.carrierExecutor().execute(later::countDown); // waits: every carrier there may be is held
            for (int i = 0; i < 50; i++) {
                maxSeen.accumulateAndGet(s.stats().sparesRunning(), Math::max);
                Thread.yield();
            }
            assertEquals(1, s.stats().sparesRunning(), s.stats().toString());
            assertEquals(1, s.stats().sparesStarted(), "no second spare: " + s.stats());
            assertTrue(maxSeen.get() <= 1, "spares seen at once: " + maxSeen);
            release.set(true);
            Await.latch(later, s::stats);
            Await.until(() -> s.stats().sparesRunning() == 0, s::stats);
        }
    }

    @Test
    void badSpareSettingsAreRefused() {
        WorkStealingScheduler.Builder b = WorkStealingScheduler.builder();
        assertThrows(IllegalArgumentException.class, () -> b.maxSpares(-1));
        assertThrows(IllegalArgumentException.class, () -> b.spareAfter(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> b.spareAfter(null));
    }
}
