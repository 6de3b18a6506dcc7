package dev.myrmex.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Orderly close: waits for threads, reports the live ones, and never strands or throws at a late waker. */
class CloseTest {

    @Test
    void closeWaitsForThreadsThatEndWithinTheGrace() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        WorkStealingScheduler s = WorkStealingScheduler.builder().workers(2).build();
        Thread t = s.threadBuilder().start(() -> {
            started.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Await.latch(started, s::stats);
        Thread closer = Thread.ofPlatform().start(() -> finish.countDown());
        ShutdownReport report = s.shutdown(Await.WATCHDOG);
        closer.join();
        assertTrue(report.clean(), report.toString());
        assertFalse(t.isAlive());
    }

    @Test
    void closeReportsLiveThreadsAndTheyFinishOnFallbackCarriers() throws InterruptedException {
        WorkStealingScheduler s = WorkStealingScheduler.builder().workers(2).name("closing").build();
        AtomicReference<String> carrierAfterClose = new AtomicReference<>();
        CountDownLatch parked = new CountDownLatch(1);
        Thread stuck = s.threadBuilder().name("stuck-agent").start(() -> {
            parked.countDown();
            LockSupport.park(); // nobody wakes it before close
            carrierAfterClose.set(StealingTest.carrierName());
        });
        Await.latch(parked, s::stats);
        ShutdownReport report = s.shutdown(Duration.ofMillis(50));
        assertEquals(1, report.liveThreads(), report.toString());
        assertTrue(report.threadNames().getFirst().contains("stuck-agent"), report.toString());
        assertTrue(s.carries(stuck));

        // A late wake-up after close neither throws at the waker nor strands the thread.
        LockSupport.unpark(stuck);
        Await.join(stuck, s::stats);
        assertTrue(carrierAfterClose.get().startsWith("closing-fallback-"), carrierAfterClose.get());
        assertTrue(s.stats().fallbackRuns() >= 1);

        // Idempotent: the first report stands.
        assertSame(report, s.shutdown(Duration.ZERO));
        // A thread started after close runs too (on a fallback carrier) rather than failing.
        Thread late = s.threadBuilder().start(() -> carrierAfterClose.set(StealingTest.carrierName()));
        Await.join(late, s::stats);
        assertTrue(carrierAfterClose.get().startsWith("closing-fallback-"));
    }

    @Test
    void closeReportsLiveThreadsStartedThroughAnExecutorToo() throws InterruptedException {
        // Threads of a per-task executor live in the executor's own thread container, not the JDK's root one.
        WorkStealingScheduler s = WorkStealingScheduler.builder().workers(2).build();
        ExecutorService executor = Executors.newThreadPerTaskExecutor(s.threadBuilder().name("pooled-agent").factory());
        CountDownLatch parked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        executor.execute(() -> {
            parked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Await.latch(parked, s::stats);
        ShutdownReport report = s.shutdown(Duration.ofMillis(50));
        release.countDown();
        executor.close();
        assertEquals(1, report.liveThreads(), report.toString());
        assertTrue(report.threadNames().getFirst().contains("pooled-agent"), report.toString());
    }

    @Test
    void closingFromACarriedThreadIsRefused() throws InterruptedException {
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(1).build()) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = s.threadBuilder().start(() -> {
                try {
                    s.shutdown(Duration.ZERO);
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            Await.join(t, s::stats);
            assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
            assertTrue(thrown.get().getMessage().contains("from a virtual thread that this scheduler carries"));
        }
    }

    @Test
    void builderRejectsBadValuesNamingThem() {
        var b = WorkStealingScheduler.builder();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.workers(0)).getMessage().contains("0"));
        assertThrows(IllegalArgumentException.class, () -> b.workers(40_000));
        assertThrows(IllegalArgumentException.class, () -> b.name(" "));
        assertThrows(IllegalArgumentException.class, () -> b.stallThreshold(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> b.closeGrace(Duration.ofMillis(-1)));
    }
}
