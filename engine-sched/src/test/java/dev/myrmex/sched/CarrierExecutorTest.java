package dev.myrmex.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Tasks on {@link WorkStealingScheduler#carrierExecutor()} run on the carriers themselves, no virtual thread. */
class CarrierExecutorTest {

    @Test
    void tasksRunOnCarrierThreadsNotVirtualThreads() throws InterruptedException {
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(2).build()) {
            int n = 1000;
            CountDownLatch done = new CountDownLatch(n);
            ConcurrentLinkedQueue<Thread> ranOn = new ConcurrentLinkedQueue<>();
            Executor carriers = s.carrierExecutor();
            for (int i = 0; i < n; i++) {
                carriers.execute(() -> {
                    ranOn.add(Thread.currentThread());
                    done.countDown();
                });
            }
            Await.latch(done, s::stats);
            for (Thread t : ranOn) {
                assertFalse(t.isVirtual(), "a carrier task ran on virtual thread " + t);
                assertTrue(t.getName().startsWith("myrmex-worker"), "ran on a foreign thread " + t);
            }
            assertEquals(n, ranOn.size(), "every task ran once");
        }
    }

    @Test
    void aTaskSubmittedFromACarrierTaskRunsOnTheSameCarrierWhenNobodySteals() throws InterruptedException {
        // One worker and the stall monitor off: the chain can only stay where it is; the test checks it is not sent
        // through the global queue (which would show as external submissions polled from it).
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(1).stallThreshold(Duration.ZERO)
                .build()) {
            Executor carriers = s.carrierExecutor();
            int hops = 10_000;
            CountDownLatch done = new CountDownLatch(1);
            AtomicReference<Thread> first = new AtomicReference<>();
            AtomicReference<String> wrong = new AtomicReference<>();
            Runnable[] hop = new Runnable[1];
            int[] left = {hops};
            hop[0] = () -> {
                first.compareAndSet(null, Thread.currentThread());
                if (first.get() != Thread.currentThread()) {
                    wrong.set("hop ran on " + Thread.currentThread() + ", not " + first.get());
                }
                if (--left[0] == 0) {
                    done.countDown();
                } else {
                    carriers.execute(hop[0]);
                }
            };
            carriers.execute(hop[0]);
            Await.latch(done, s::stats);
            assertEquals(null, wrong.get());
            SchedulerStats stats = s.stats();
            assertEquals(1, stats.externalSubmissions(), "hops went through the global queue: " + stats);
        }
    }

    @Test
    void aFailingTaskIsCountedAndTheCarrierCarriesOn() throws InterruptedException {
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(1).build()) {
            CountDownLatch after = new CountDownLatch(1);
            s.carrierExecutor().execute(() -> {
                throw new IllegalStateException("expected by the test");
            });
            s.carrierExecutor().execute(after::countDown);
            Await.latch(after, s::stats);
            Await.until(() -> s.stats().perWorker().getFirst().taskFailures() == 1, s::stats);
        }
    }
}
