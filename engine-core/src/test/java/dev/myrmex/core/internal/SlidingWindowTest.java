package dev.myrmex.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.myrmex.core.internal.window.SlidingWindow;
import org.junit.jupiter.api.Test;

/** The one "N within T" count: an event counts while younger than the window, and one exactly a window old is out. */
class SlidingWindowTest {
    @Test
    void anEventCountsWhileYoungerThanTheWindowAndLeavesItAtTheWindowsAge() {
        SlidingWindow w = new SlidingWindow(100);
        assertEquals(1, w.add(1_000));
        assertEquals(2, w.add(1_050));
        assertEquals(2, w.countAt(1_099), "both younger than 100 ns");
        assertEquals(1, w.countAt(1_100), "the first is exactly a window old: out");
        assertEquals(2, w.add(1_149));
        assertEquals(1, w.countAt(1_150));
        assertEquals(0, w.countAt(1_249));
        w.add(2_000);
        w.clear();
        assertEquals(0, w.countAt(2_000));
    }

    @Test
    void aWindowMustBePositive() {
        assertEquals("window must be positive: 0 ns",
                assertThrows(IllegalArgumentException.class, () -> new SlidingWindow(0)).getMessage());
    }
}
