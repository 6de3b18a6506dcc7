package dev.myrmex.testkit;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting in tests, the one way every module's tests wait: for a condition, never for a time. Each wait returns as
 * soon as what it waits for holds, and fails with what was awaited once the watchdog passes, instead of hanging.
 * {@link #until} spins and yields first (most conditions hold within microseconds), then parks a millisecond at a
 * time (a condition waiting on another process should not burn a core).
 *
 * <pre>{@code
 * Await.until(() -> rt.liveAgents() == 0, "every agent ended");
 * Await.latch(started, () -> "started: " + log);
 * }</pre>
 */
public final class Await {
    /**
     * How long a wait may take before the test fails: generous, for loaded CI machines, where a pass normally takes
     * milliseconds. Below JUnit's default test timeout (180 s in the root pom), so the wait reports first.
     */
    public static final Duration WATCHDOG = Duration.ofSeconds(60);
    private static final int SPINS = 10_000;

    private Await() {
    }

    /** Waits until {@code condition} holds, at most {@link #WATCHDOG}: for a condition the test's name explains. */
    public static void until(BooleanSupplier condition) {
        until(condition, WATCHDOG, "a condition of the test");
    }

    /** Waits until {@code condition} holds, at most {@link #WATCHDOG}. */
    public static void until(BooleanSupplier condition, String what) {
        until(condition, WATCHDOG, what);
    }

    /** Waits until {@code condition} holds, at most {@link #WATCHDOG}; {@code what} is asked only on failure. */
    public static void until(BooleanSupplier condition, Supplier<?> what) {
        if (!holdsWithin(condition, WATCHDOG)) {
            throw new AssertionError("watchdog: condition never held in " + WATCHDOG + "; " + what.get());
        }
    }

    /**
     * Waits until {@code condition} holds, at most {@code timeout}.
     *
     * @throws AssertionError naming {@code what} if it has not held by then
     */
    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        if (!holdsWithin(condition, timeout)) {
            throw new AssertionError("timed out after " + timeout + " waiting for " + what);
        }
    }

    private static boolean holdsWithin(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; !condition.getAsBoolean(); i++) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            if (i < SPINS) {
                Thread.onSpinWait();
                Thread.yield();
            } else {
                LockSupport.parkNanos(1_000_000);
            }
        }
        return true;
    }

    /** Waits until {@code latch} opens, at most {@link #WATCHDOG}; {@code context} is asked only on failure. */
    public static void latch(CountDownLatch latch, Supplier<?> context) throws InterruptedException {
        if (!latch.await(WATCHDOG.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("watchdog: " + latch.getCount() + " count(s) never arrived; " + context.get());
        }
    }

    /** Waits until {@code t} ends, at most {@link #WATCHDOG}; {@code context} is asked only on failure. */
    public static void join(Thread t, Supplier<?> context) throws InterruptedException {
        if (!t.join(WATCHDOG)) {
            throw new AssertionError("watchdog: " + t + " did not end; " + context.get());
        }
    }

    /**
     * Holds the calling thread until {@code latch} opens, spinning: for a non-blocking handler that must keep its
     * carrier busy in a test. It never parks, since a carrier must not ({@link CarrierParkWatch} fails the test class
     * otherwise); it gives up after the watchdog.
     */
    public static void holdCarrierUntil(CountDownLatch latch) {
        long deadline = System.nanoTime() + WATCHDOG.toNanos();
        while (latch.getCount() > 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + WATCHDOG + " holding a carrier for a latch");
            }
            Thread.onSpinWait();
        }
    }
}
