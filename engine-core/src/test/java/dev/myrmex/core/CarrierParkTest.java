package dev.myrmex.core;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Await;
import dev.myrmex.testkit.CarrierParks;
import dev.myrmex.testkit.CarriersMayPark;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * The carrier-park check on the runtime's real carriers: a non-blocking handler that waits for a lock parks its
 * carrier, and the watch that every test class runs under finds it, with the handler in the stack; the same handler
 * taking the scheduler's SpinLock spins instead, and nothing is found.
 */
@CarriersMayPark("it plants a carrier park to see the watch find it; it runs a watch of its own")
class CarrierParkTest {
    record Go() implements Val {
    }

    @Test
    void aHandlerThatWaitsForALockParksItsCarrierAndIsFound() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch done = new CountDownLatch(1);
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {
            rt.start();
            CarrierParks watch = CarrierParks.start();
            lock.lock();
            AgentRef<Go> waiter = rt.spawn("waiter", Behaviors.<Go>nonBlocking((ctx, m) -> {
                lock.lock(); // the planted bug: a carrier queued for a lock
                lock.unlock();
                done.countDown();
            })).ref();
            waiter.signal(new Go());
            Await.until(lock::hasQueuedThreads, "the handler waits for the lock");
            lock.unlock();
            assertTrue(done.await(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
            List<CarrierParks.Park> parks = watch.stop();
            assertEquals(1, parks.size(), parks.toString());
            assertTrue(parks.getFirst().thread().startsWith("myrmex-agents-worker-"), parks.toString());
            assertTrue(parks.getFirst().stack().contains("CarrierParkTest.lambda$"), parks.toString());
        }
    }

    @Test
    void theSameHandlerOnASpinLockParksNothing() throws Exception {
        dev.myrmex.sched.SpinLock lock = new dev.myrmex.sched.SpinLock();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {
            rt.start();
            CarrierParks watch = CarrierParks.start();
            lock.lock();
            AgentRef<Go> waiter = rt.spawn("spinner", Behaviors.<Go>nonBlocking((ctx, m) -> {
                entered.countDown();
                lock.lock();
                lock.unlock();
                done.countDown();
            })).ref();
            waiter.signal(new Go());
            assertTrue(entered.await(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
            Thread.onSpinWait();
            lock.unlock();
            assertTrue(done.await(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
            assertEquals(List.of(), watch.stop());
        }
    }
}
