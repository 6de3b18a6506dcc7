package dev.myrmex.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Await;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A carrier blocked in native code. A virtual thread reading a process pipe blocks in the read(2) system call and
 * holds its carrier (this scheduler, unlike the JDK's, adds no carrier to compensate). What it had queued behind it,
 * here a thread it just started and that sits in its worker's LIFO slot, must still run: the stall monitor moves it
 * to a sibling worker.
 */
class NativeBlockingTest {

    @Test
    void workQueuedBehindACarrierBlockedInNativeCodeIsRescued() throws Exception {
        Process cat = new ProcessBuilder("cat").start();
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(2)
                .stallThreshold(Duration.ofMillis(1)).build()) {
            CountDownLatch queuedRan = new CountDownLatch(1);
            AtomicReference<String> blockerCarrier = new AtomicReference<>();
            AtomicReference<String> queuedCarrier = new AtomicReference<>();
            AtomicInteger read = new AtomicInteger(-2);
            Thread blocker = s.threadBuilder().start(() -> {
                blockerCarrier.set(StealingTest.carrierName());
                // Started from here: lands in this worker's LIFO slot, behind the run we are in.
                s.threadBuilder().start(() -> {
                    queuedCarrier.set(StealingTest.carrierName());
                    queuedRan.countDown();
                });
                try (InputStream in = cat.getInputStream()) {
                    read.set(in.read()); // blocks the carrier in read(2) until the test writes a byte
                } catch (IOException e) {
                    read.set(-3);
                }
            });
            Await.latch(queuedRan, () -> "the queued thread never ran while its carrier was blocked; " + s.stats());
            SchedulerStats stats = s.stats();
            assertTrue(stats.stallRescues() >= 1, stats.toString());
            assertTrue(!queuedCarrier.get().equals(blockerCarrier.get()),
                    "ran on " + queuedCarrier + ", the blocked carrier is " + blockerCarrier);

            try (OutputStream out = cat.getOutputStream()) {
                out.write('x');
                out.flush();
            }
            Await.join(blocker, s::stats);
            assertEquals('x', read.get());
        } finally {
            cat.destroy();
        }
    }
}
