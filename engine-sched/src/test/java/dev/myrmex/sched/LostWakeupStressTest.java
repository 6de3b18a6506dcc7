package dev.myrmex.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Lost wake-ups: millions of park/unpark hops between virtual threads, with regular moments where every runnable
 * thread is parked so that the workers park too, and the next wake-up comes from outside (a platform relay thread,
 * through the global queue and the notify protocol). A lost wake-up leaves a thread parked for ever: the watchdog
 * fails the test with the scheduler's counters instead of hanging. The stall monitor is off, so that it cannot
 * mask a lost wake-up by moving work around.
 */
class LostWakeupStressTest {
    private static final int RINGS = 3; // more rings than workers: LIFO displacement and stealing happen
    private static final int RING_SIZE = 8;
    private static final long HOPS_PER_RING = 700_000;
    /** Every this many hops the token goes through the relay, and the ring's carriers may park meanwhile. */
    private static final int RELAY_EVERY = 256;

    @Test
    void millionsOfHopsWithWorkersParkingInBetweenLoseNoWakeup() throws InterruptedException {
        AtomicLong hops = new AtomicLong();
        AtomicLong relayed = new AtomicLong();
        LinkedTransferQueue<Thread> relayQueue = new LinkedTransferQueue<>();
        CountDownLatch ringsDone = new CountDownLatch(RINGS);
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(2).seed(7)
                .stallThreshold(Duration.ZERO).build()) {
            Thread relay = Thread.ofPlatform().daemon().name("relay").start(() -> {
                try {
                    while (true) {
                        Thread t = relayQueue.take();
                        if (t == Thread.currentThread()) {
                            return;
                        }
                        relayed.incrementAndGet();
                        LockSupport.unpark(t);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int r = 0; r < RINGS; r++) {
                startRing(s, hops, relayQueue, ringsDone);
            }
            Await.latch(ringsDone, () -> "hops=" + hops + " relayed=" + relayed + " " + s.stats());
            relayQueue.put(relay);
            relay.join();
            SchedulerStats stats = s.stats();
            assertEquals(RINGS * HOPS_PER_RING, hops.get());
            assertTrue(stats.parks() > 0, "workers never parked in between: the test did not test parking; " + stats);
            assertTrue(relayed.get() > 0);
        }
    }

    private static void startRing(WorkStealingScheduler s, AtomicLong hops, LinkedTransferQueue<Thread> relayQueue,
                                  CountDownLatch ringsDone) {
        Station[] ring = new Station[RING_SIZE];
        for (int i = 0; i < RING_SIZE; i++) {
            ring[i] = new Station();
        }
        for (int i = 0; i < RING_SIZE; i++) {
            Station me = ring[i];
            Station next = ring[(i + 1) % RING_SIZE];
            me.thread = s.threadBuilder().unstarted(() -> {
                while (true) {
                    while (me.token < 0) {
                        LockSupport.park();
                    }
                    long t = me.token;
                    me.token = -1;
                    if (t == Long.MAX_VALUE) {
                        next.token = Long.MAX_VALUE; // pass the stop along, then end
                        LockSupport.unpark(next.thread);
                        return;
                    }
                    hops.incrementAndGet();
                    if (t + 1 == HOPS_PER_RING) {
                        ringsDone.countDown();
                        next.token = Long.MAX_VALUE;
                        LockSupport.unpark(next.thread);
                        return;
                    }
                    next.token = t + 1;
                    if ((t + 1) % RELAY_EVERY == 0) {
                        relayQueue.put(next.thread); // woken from outside, after we park
                    } else {
                        LockSupport.unpark(next.thread);
                    }
                }
            });
        }
        for (Station st : ring) {
            st.thread.start();
        }
        ring[0].token = 0;
        LockSupport.unpark(ring[0].thread);
    }

    private static final class Station {
        volatile long token = -1;
        Thread thread;
    }
}
