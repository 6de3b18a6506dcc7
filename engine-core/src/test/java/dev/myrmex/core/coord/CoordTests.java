package dev.myrmex.core.coord;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Shared by the coordination tests: a watchdog for waits that must end, and waiting on a condition. */
final class CoordTests {
    static final Duration WATCHDOG = Duration.ofSeconds(60);

    private CoordTests() {
    }

    static void awaitUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WATCHDOG.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
