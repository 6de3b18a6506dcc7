package dev.myrmex.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Mutual exclusion under contention from virtual threads carried by our scheduler, from tasks running on its carriers,
 * and from platform threads at once: every increment of a plain counter made under the lock survives. With the
 * scheduler's two carriers also taking the lock, this is the mix in which a parking lock stopped the runtime.
 */
class SpinLockTest {
    private static final int PER_THREAD = 20_000;

    private final SpinLock lock = new SpinLock();
    private long counter; // guarded by lock

    private void add(int times) {
        for (int i = 0; i < times; i++) {
            lock.lock();
            try {
                counter++;
            } finally {
                lock.unlock();
            }
        }
    }

    @Test
    void everyIncrementUnderTheLockSurvives() throws Exception {
        try (WorkStealingScheduler scheduler = WorkStealingScheduler.builder().workers(2).build()) {
            int virtuals = 16;
            int carrierTasks = 8;
            int platforms = 2;
            CountDownLatch done = new CountDownLatch(virtuals + carrierTasks + platforms);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < virtuals; i++) {
                threads.add(scheduler.threadBuilder().start(() -> {
                    add(PER_THREAD);
                    done.countDown();
                }));
            }
            for (int i = 0; i < carrierTasks; i++) {
                scheduler.carrierExecutor().execute(() -> {
                    add(PER_THREAD);
                    done.countDown();
                });
            }
            for (int i = 0; i < platforms; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    add(PER_THREAD);
                    done.countDown();
                }));
            }
            Await.latch(done, () -> "contenders left: " + done.getCount() + ", " + lock);
            for (Thread t : threads) {
                Await.join(t, () -> "a contender");
            }
        }
        lock.lock();
        try {
            assertEquals((16 + 8 + 2) * (long) PER_THREAD, counter);
        } finally {
            lock.unlock();
        }
    }

    @Test
    void tryLockFailsWhileHeldAndSucceedsAfter() {
        assertTrue(lock.tryLock());
        assertFalse(lock.tryLock());
        assertEquals("SpinLock[held]", lock.toString());
        lock.unlock();
        assertTrue(lock.tryLock());
        lock.unlock();
    }
}
