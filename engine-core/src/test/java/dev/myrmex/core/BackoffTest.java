package dev.myrmex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.myrmex.core.resilience.Backoff;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The backoff arithmetic: exact values, the cap, monotony, jitter bounds, no overflow, bad input named. */
class BackoffTest {
    private static final SplittableRandom RANDOM = new SplittableRandom(42);

    @Test
    void theThreeShapesGiveTheirDocumentedDelays() {
        Backoff fixed = Backoff.fixed(Duration.ofMillis(50));
        Backoff linear = Backoff.linear(Duration.ofMillis(100), Duration.ofMillis(50), Duration.ofMillis(220));
        Backoff exp = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1));
        for (int n = 1; n <= 6; n++) {
            assertEquals(Duration.ofMillis(50), fixed.delay(n, RANDOM));
        }
        assertEquals(Duration.ofMillis(100), linear.delay(1, RANDOM));
        assertEquals(Duration.ofMillis(150), linear.delay(2, RANDOM));
        assertEquals(Duration.ofMillis(200), linear.delay(3, RANDOM));
        assertEquals(Duration.ofMillis(220), linear.delay(4, RANDOM), "capped");
        assertEquals(Duration.ofMillis(100), exp.delay(1, RANDOM));
        assertEquals(Duration.ofMillis(400), exp.delay(3, RANDOM));
        assertEquals(Duration.ofMillis(800), exp.delay(4, RANDOM));
        assertEquals(Duration.ofSeconds(1), exp.delay(5, RANDOM), "capped");
        assertEquals(Duration.ofSeconds(1), exp.delay(Integer.MAX_VALUE, RANDOM), "no overflow at any attempt");
    }

    @Test
    void badInputIsRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Backoff.fixed(Duration.ofMillis(-1)))
                .getMessage().contains("delay"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Backoff.exponential(Duration.ofMillis(1), 0.5, Duration.ofMillis(9))).getMessage()
                .contains("multiplier"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Backoff.linear(Duration.ofSeconds(2), Duration.ZERO, Duration.ofSeconds(1))).getMessage()
                .contains("below initial"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Backoff.fixed(Duration.ZERO).withJitter(1.5))
                .getMessage().contains("jitter"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Backoff.fixed(Duration.ZERO).delay(0, RANDOM))
                .getMessage().contains("from 1"));
    }

    /** For any settings: never above the cap, never decreasing from one attempt to the next, never negative. */
    @Test
    void baseDelaysAreCappedMonotonicAndNeverOverflow() {
        qt().withExamples(2_000).forAll(
                        longs().between(0, 10_000_000_000L), // initial, ns
                        longs().between(0, 5_000_000_000L), // step or extra room to the cap, ns
                        doubles().between(1.0, 10.0), // multiplier
                        integers().between(1, 100_000)) // attempt
                .checkAssert((initial, extra, multiplier, attempt) -> {
                    Duration i = Duration.ofNanos(initial);
                    Duration max = Duration.ofNanos(initial + extra);
                    for (Backoff b : new Backoff[] {Backoff.linear(i, Duration.ofNanos(extra / 7 + 1), max),
                            Backoff.exponential(i, multiplier, max)}) {
                        Duration d = b.baseDelay(attempt);
                        Duration next = b.baseDelay(attempt + 1);
                        assertTrue(!d.isNegative() && d.compareTo(max) <= 0, b + " gave " + d + " at " + attempt);
                        assertTrue(next.compareTo(d) >= 0, b + " went down from " + d + " to " + next);
                        assertTrue(d.compareTo(i) >= 0, b + " gave less than initial: " + d);
                    }
                });
    }

    /** Jitter j keeps every delay within [(1 - j) * base, base]. */
    @Test
    void jitterStaysWithinItsBounds() {
        qt().withExamples(2_000).forAll(
                        longs().between(0, 10_000_000_000L),
                        doubles().between(0.0, 1.0),
                        integers().between(1, 64),
                        longs().all()) // the random source's seed
                .checkAssert((initial, jitter, attempt, seed) -> {
                    Backoff plain = Backoff.exponential(Duration.ofNanos(initial), 1.5,
                            Duration.ofNanos(initial * 4));
                    Backoff jittered = plain.withJitter(jitter);
                    long base = plain.baseDelay(attempt).toNanos();
                    long d = jittered.delay(attempt, new SplittableRandom(seed)).toNanos();
                    assertTrue(d <= base && d >= (long) Math.floor(base * (1 - jitter)) - 1,
                            "jitter " + jitter + " on " + base + " gave " + d);
                });
    }
}
