package dev.myrmex.sched;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting in tests: on a condition, with a watchdog that fails with context instead of hanging. */
final class Await {
    /** Generous: the machines are shared and slow; a pass normally takes milliseconds. */
    static final Duration WATCHDOG = Duration.ofSeconds(60);

    private Await() {
    }

    static void latch(CountDownLatch latch, Supplier<?> context) throws InterruptedException {
        if (!latch.await(WATCHDOG.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("watchdog: " + latch.getCount() + " count(s) never arrived; " + context.get());
        }
    }

    static void join(Thread t, Supplier<?> context) throws InterruptedException {
        if (!t.join(WATCHDOG)) {
            fail("watchdog: " + t + " did not end; " + context.get());
        }
    }

    /**
     * Waits for a condition that is set by the code under test. Between checks it yields its own thread (no
     * sleeping), so it suits conditions that other threads make true within moments.
     */
    static void until(BooleanSupplier condition, Supplier<?> context) {
        long deadline = System.nanoTime() + WATCHDOG.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("watchdog: condition never held; " + context.get());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
