package dev.myrmex.core.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waiting in tests for a condition, never for a time: returns as soon as the condition holds, fails with what was
 * awaited once the watchdog passes. Spins and yields first (most conditions hold within microseconds), then parks a
 * millisecond at a time (a condition waiting on another process should not burn a core).
 */
public final class Await {
    /** How long a wait may take before the test fails: generous, for loaded CI machines. */
    public static final Duration WATCHDOG = Duration.ofSeconds(60);
    private static final int SPINS = 10_000;

    private Await() {
    }

    /** Waits until {@code condition} holds, at most {@link #WATCHDOG}. */
    public static void until(BooleanSupplier condition, String what) {
        until(condition, WATCHDOG, what);
    }

    /**
     * Waits until {@code condition} holds, at most {@code timeout}.
     *
     * @throws AssertionError naming {@code what} if it has not held by then
     */
    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; !condition.getAsBoolean(); i++) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            if (i < SPINS) {
                Thread.onSpinWait();
                Thread.yield();
            } else {
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    /**
     * Holds the calling thread until {@code latch} opens, spinning: for a non-blocking handler that must keep its
     * carrier busy in a test. It never parks, since a carrier must not (test-kit's CarrierParkWatch fails the test
     * class otherwise); it gives up after the watchdog.
     */
    public static void holdCarrierUntil(java.util.concurrent.CountDownLatch latch) {
        long deadline = System.nanoTime() + WATCHDOG.toNanos();
        while (latch.getCount() > 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + WATCHDOG + " holding a carrier for a latch");
            }
            Thread.onSpinWait();
        }
    }
}
