package dev.myrmex.sched;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** When one worker is loaded, the idle ones steal from it, and it shows in {@code stats()}. */
class StealingTest {

    @Test
    void anIdleWorkerStealsFromALoadedOne() throws InterruptedException {
        int tasks = 200;
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(tasks);
        Set<String> carriers = ConcurrentHashMap.newKeySet();
        // The stall monitor is off: any work that moves between workers here moved by stealing.
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(2).seed(1)
                .stallThreshold(Duration.ZERO).build()) {
            Thread producer = s.threadBuilder().start(() -> {
                // All children are started from one virtual thread, so all land on its worker's LIFO slot and
                // local queue; none goes to the global queue (fewer than the local queue holds).
                List<Thread> children = new ArrayList<>();
                for (int i = 0; i < tasks; i++) {
                    children.add(s.threadBuilder().start(() -> {
                        carriers.add(carrierName());
                        busy(200_000);
                        done.countDown();
                    }));
                }
                release.countDown();
            });
            Await.latch(release, s::stats);
            Await.latch(done, s::stats);
            producer.join();
            SchedulerStats stats = s.stats();
            assertTrue(stats.steals() > 0, "no steal happened: " + stats);
            assertTrue(stats.stolenTasks() >= stats.steals(), stats.toString());
            assertTrue(carriers.size() == 2, "children ran on " + carriers + " only: " + stats);
            assertTrue(stats.perWorker().stream().allMatch(w -> w.tasksRun() > 0), stats.toString());
        }
    }

    static String carrierName() {
        // Thread.toString() of a virtual thread names its carrier: VirtualThread[#22]/runnable@myrmex-worker-1
        String s = Thread.currentThread().toString();
        return s.substring(s.indexOf('@') + 1);
    }

    /** Spins for about {@code nanos}, without parking: CPU-bound work that holds the carrier. */
    static void busy(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
