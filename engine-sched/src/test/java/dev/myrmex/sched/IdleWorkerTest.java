package dev.myrmex.sched;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** An idle worker sleeps until there is work it can take; it does not cycle through park and wake-up. */
class IdleWorkerTest {

    @Test
    void anIdleWorkerStaysParkedWhileASiblingHoldsItsLifoSlotDuringALongRun() throws InterruptedException {
        // Stall monitor off: the LIFO occupant stays where it is for the whole run, and nothing else wakes anyone.
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(2)
                .stallThreshold(Duration.ZERO).build()) {
            CountDownLatch queuedRan = new CountDownLatch(2);
            long[] parksDuringRun = new long[1];
            Thread busy = s.threadBuilder().start(() -> {
                s.threadBuilder().start(queuedRan::countDown); // to this carrier's LIFO slot
                // The second start displaces the first into the local queue and wakes the sibling as a searcher; it
                // steals that one, then finds only the new LIFO occupant, which it cannot steal, and must sleep.
                s.threadBuilder().start(queuedRan::countDown);
                long before = s.stats().parks();
                StealingTest.busy(50_000_000); // 50 ms without parking: the slot stays occupied
                parksDuringRun[0] = s.stats().parks() - before;
            });
            Await.join(busy, s::stats);
            Await.latch(queuedRan, s::stats);
            // A sibling that counted the slot as work to re-check woke itself, failed to steal and parked again,
            // hundreds of thousands of times in those 50 ms. A sibling that sleeps parks at most a few times.
            assertTrue(parksDuringRun[0] < 100, parksDuringRun[0] + " parks during one 50 ms run; " + s.stats());
        }
    }
}
