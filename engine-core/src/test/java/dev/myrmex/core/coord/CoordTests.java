package dev.myrmex.core.coord;

import dev.myrmex.core.testing.Await;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Shared by the coordination tests: a watchdog for waits that must end, and waiting on a condition. */
final class CoordTests {
    static final Duration WATCHDOG = Duration.ofSeconds(60);

    private CoordTests() {
    }

    static void awaitUntil(BooleanSupplier condition, String what) {
        Await.until(condition, WATCHDOG, what);
    }
}
