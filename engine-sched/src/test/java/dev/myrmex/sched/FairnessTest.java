package dev.myrmex.sched;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Await;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The LIFO slot must not starve anyone: a yielding thread goes to the back of the queue (never the slot), and a
 * ping-pong pair that keeps the slot busy still lets queued and external work run. One worker, so that nothing can
 * escape to a sibling.
 */
class FairnessTest {

    @Test
    void aYieldingThreadDoesNotStarveAnotherOnTheSameCarrier() throws InterruptedException {
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(1).build()) {
            AtomicBoolean flag = new AtomicBoolean();
            Thread spinner = s.threadBuilder().start(() -> {
                while (!flag.get()) {
                    Thread.yield(); // if yield re-ran this thread at once, the setter would never run
                }
            });
            Thread setter = s.threadBuilder().start(() -> flag.set(true));
            Await.join(setter, s::stats);
            Await.join(spinner, s::stats);
        }
    }

    @Test
    void anEndlessPingPongPairLetsQueuedAndExternalWorkRun() throws InterruptedException {
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(1).build()) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread[] pair = new Thread[2];
            for (int i = 0; i < 2; i++) {
                int me = i;
                pair[i] = s.threadBuilder().unstarted(() -> {
                    while (!stop.get()) {
                        LockSupport.unpark(pair[1 - me]);
                        LockSupport.park();
                    }
                    LockSupport.unpark(pair[1 - me]);
                });
            }
            pair[0].start();
            pair[1].start();
            Await.until(() -> s.stats().lifoHits() > 10_000, s::stats); // the pair owns the LIFO slot now

            // From outside: global queue, taken every 61 ticks even though the slot is never empty.
            AtomicBoolean externalRan = new AtomicBoolean();
            Thread external = s.threadBuilder().start(() -> externalRan.set(true));
            Await.join(external, s::stats);

            // From inside the pair's carrier: a started thread displaces the slot's occupant to the local queue, and
            // the starvation guard lets the queue run after at most 3 LIFO runs in a row.
            AtomicBoolean queuedRan = new AtomicBoolean();
            Thread starter = s.threadBuilder().start(() -> {
                for (int i = 0; i < 50; i++) {
                    s.threadBuilder().start(() -> { });
                }
                s.threadBuilder().start(() -> queuedRan.set(true));
            });
            Await.join(starter, s::stats);
            Await.until(queuedRan::get, s::stats);
            stop.set(true);
            Await.join(pair[0], s::stats);
            Await.join(pair[1], s::stats);
            assertTrue(externalRan.get());
        }
    }
}
