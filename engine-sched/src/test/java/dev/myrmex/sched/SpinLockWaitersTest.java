package dev.myrmex.sched;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A {@link SpinLock}'s waiters: a bounded buffer of one slot whose producers and consumers are virtual threads on
 * our scheduler, signalled by tasks on its carriers too, loses and repeats nothing; a waiter returns, and throws,
 * holding the lock; a carrier is refused the wait.
 */
class SpinLockWaitersTest {

    private final SpinLock lock = new SpinLock();
    private final SpinLock.Waiters changed = lock.newWaiters();
    private Integer slot; // guarded by lock

    private void put(int v) throws InterruptedException {
        lock.lock();
        try {
            while (slot != null) {
                changed.await();
            }
            slot = v;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private int take() throws InterruptedException {
        lock.lock();
        try {
            while (slot == null) {
                changed.await();
            }
            int v = slot;
            slot = null;
            changed.signalAll();
            return v;
        } finally {
            lock.unlock();
        }
    }

    @Test
    void producersAndConsumersHandEveryValueOverOnce() throws Exception {
        int producers = 4;
        int each = 2_000;
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(2).build()) {
            long[] sum = new long[1];
            Thread consumer = s.threadBuilder().start(() -> {
                try {
                    for (int i = 0; i < producers * each; i++) {
                        sum[0] += take();
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            for (int p = 0; p < producers; p++) {
                s.threadBuilder().start(() -> {
                    try {
                        for (int i = 1; i <= each; i++) {
                            put(i);
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
            }
            assertTrue(consumer.join(WATCHDOG), "the consumer got every value");
            assertEquals((long) producers * each * (each + 1) / 2, sum[0]);
        }
    }

    @Test
    void anInterruptedWaiterThrowsHoldingTheLockAndLeavesTheWaiters() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CompletableFuture<Boolean> heldAfter = new CompletableFuture<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            lock.lock();
            try {
                changed.await();
            } catch (InterruptedException e) {
                thrown.set(e);
            } finally {
                heldAfter.complete(!lock.tryLock()); // held by us: a second take fails (not reentrant)
                lock.unlock();
            }
        });
        while (waiter.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        waiter.interrupt();
        assertTrue(heldAfter.get(WATCHDOG.toSeconds(), TimeUnit.SECONDS), "it threw holding the lock");
        assertInstanceOf(InterruptedException.class, thrown.get());
        lock.lock();
        try {
            changed.signal(); // nobody is left to wake: must not throw, must not wake anything
        } finally {
            lock.unlock();
        }
    }

    @Test
    void aCarrierMayNotWait() throws Exception {
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(1).build()) {
            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            s.newLane("carrier-task", RunHook.NONE).executor().execute(() -> { // runs on a carrier
                Throwable thrown = null;
                lock.lock();
                try {
                    changed.await();
                } catch (Throwable e) {
                    thrown = e;
                } finally {
                    lock.unlock();
                }
                refused.complete(thrown); // after the unlock: the test looks at the lock once it has the answer
            });
            Throwable e = refused.get(WATCHDOG.toSeconds(), TimeUnit.SECONDS);
            assertInstanceOf(IllegalStateException.class, e);
            assertTrue(lock.tryLock(), "the refused waiter let the lock go in its finally");
            lock.unlock();
        }
    }

    @Test
    void aTimedWaitNobodySignalsEndsAtItsTimeHoldingTheLock() throws Exception {
        long nanos = TimeUnit.MILLISECONDS.toNanos(20);
        CompletableFuture<long[]> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            lock.lock();
            try {
                long start = System.nanoTime();
                long left = changed.awaitNanos(nanos);
                result.complete(new long[] {left, System.nanoTime() - start, lock.tryLock() ? 1 : 0});
            } catch (Throwable e) {
                result.completeExceptionally(e);
            } finally {
                lock.unlock();
            }
        });
        long[] r = result.get(WATCHDOG.toSeconds(), TimeUnit.SECONDS);
        assertTrue(r[0] <= 0, "it says the time is up: " + r[0]);
        assertTrue(r[1] >= nanos, "it waited the whole time: " + r[1] + " ns");
        assertEquals(0, r[2], "it returned holding the lock");
        lock.lock();
        try {
            changed.signal(); // its entry is gone: nothing to wake
        } finally {
            lock.unlock();
        }
    }

    @Test
    void aSignalEndsATimedWaitWithTimeLeft() throws Exception {
        long nanos = TimeUnit.SECONDS.toNanos(WATCHDOG.toSeconds());
        CompletableFuture<Long> left = new CompletableFuture<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            lock.lock();
            try {
                left.complete(changed.awaitNanos(nanos));
            } catch (Throwable e) {
                left.completeExceptionally(e);
            } finally {
                lock.unlock();
            }
        });
        while (waiter.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        lock.lock();
        try {
            changed.signal();
        } finally {
            lock.unlock();
        }
        long l = left.get(WATCHDOG.toSeconds(), TimeUnit.SECONDS);
        assertTrue(l > 0 && l < nanos, "signalled before its time, with some of it used: " + l);
    }

    @Test
    void aTimedWaitWithNoTimeReturnsAtOnce() throws Exception {
        lock.lock();
        try {
            assertEquals(0, changed.awaitNanos(0));
            assertEquals(-5, changed.awaitNanos(-5));
            assertTrue(!lock.tryLock(), "still held");
        } finally {
            lock.unlock();
        }
    }
}
