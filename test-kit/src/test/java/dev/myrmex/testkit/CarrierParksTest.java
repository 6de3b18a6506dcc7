package dev.myrmex.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.sched.internal.FakeIdle;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * The watch finds a carrier that parks in a lock or a monitor (planted here on threads named like carriers), and
 * passes over the scheduler's own parks and over threads that are not carriers.
 */
@CarriersMayPark("it plants carrier parks to see them found; the watch under test is its own")
class CarrierParksTest {
    private static void runOn(String name, Runnable r) throws InterruptedException {
        Thread t = Thread.ofPlatform().name(name).start(r);
        t.join();
    }

    /** A thread named {@code name} waits for a lock this thread holds, until it has been seen waiting. */
    private static void parkOnAHeldLock(String name) throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        lock.lock();
        Thread t = Thread.ofPlatform().name(name).start(() -> {
            lock.lock();
            lock.unlock();
        });
        while (!lock.hasQueuedThread(t) || t.getState() != Thread.State.WAITING) { // queued is not yet parked
            Thread.onSpinWait();
        }
        lock.unlock();
        t.join();
    }

    @Test
    void aCarrierParkedOnALockIsFoundWithItsStack() throws Exception {
        CarrierParks watch = CarrierParks.start();
        parkOnAHeldLock("planted-worker-0");
        List<CarrierParks.Park> parks = watch.stop();
        assertEquals(1, parks.stream().filter(p -> p.thread().equals("planted-worker-0")).count(), parks.toString());
        assertTrue(parks.getFirst().stack().contains("ReentrantLock"), parks.getFirst().stack());
    }

    @Test
    void aCarrierBlockedOnAMonitorIsFound() throws Exception {
        Object monitor = new Object();
        CountDownLatch entered = new CountDownLatch(1);
        CarrierParks watch = CarrierParks.start();
        Thread t;
        synchronized (monitor) {
            t = Thread.ofPlatform().name("planted-spare-3").start(() -> {
                entered.countDown();
                synchronized (monitor) {
                    monitor.notifyAll();
                }
            });
            entered.await();
            while (t.getState() != Thread.State.BLOCKED) {
                Thread.onSpinWait();
            }
        }
        t.join();
        List<CarrierParks.Park> parks = watch.stop();
        assertTrue(parks.stream().anyMatch(p -> p.thread().equals("planted-spare-3")
                && p.event().startsWith("jdk.JavaMonitorEnter")), parks.toString());
    }

    /** A class no ClassValue has been asked about: its ClassValue map is made on first use. */
    private static final class NeverAsked {
    }

    /**
     * A handler that sends a Val message asks the Val verifier's ClassValue about the message's class; the first such
     * question for a class takes a JDK-wide monitor ({@code ClassValue.CRITICAL_SECTION}) that any thread's first
     * question takes too. Held here, so that a carrier blocks on it, the block is the JDK's, not the code's under test.
     */
    @Test
    void aCarrierBlockedMakingAClassesFirstClassValueMapIsNotFound() throws Exception {
        Field section = ClassValue.class.getDeclaredField("CRITICAL_SECTION");
        section.setAccessible(true);
        ClassValue<String> names = new ClassValue<>() {
            @Override
            protected String computeValue(Class<?> type) {
                return type.getName();
            }
        };
        CarrierParks watch = CarrierParks.start();
        Thread t;
        synchronized (section.get(null)) {
            t = Thread.ofPlatform().name("planted-worker-4").start(() -> names.get(NeverAsked.class));
            while (t.getState() != Thread.State.BLOCKED) {
                Thread.onSpinWait();
            }
        }
        t.join();
        List<CarrierParks.Park> parks = watch.stop();
        assertEquals(List.of(), parks.stream().filter(p -> p.thread().equals("planted-worker-4")).toList());
    }

    @Test
    void theSchedulersOwnParksAndOtherThreadsParksAreNotFound() throws Exception {
        CarrierParks watch = CarrierParks.start();
        runOn("planted-worker-1", FakeIdle::parkBriefly);
        parkOnAHeldLock("journal-writer");
        List<CarrierParks.Park> parks = watch.stop();
        assertEquals(List.of(), parks.stream().filter(p -> p.thread().startsWith("planted-")
                || p.thread().equals("journal-writer")).toList());
    }
}
