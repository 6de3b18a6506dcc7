package dev.myrmex.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * How a failed property test is rerun: QuickTheories prints the seed of the failing run ("Seed was N"), and the
 * system property {@code QT_SEED} replays it, the same examples in the same order (docs/build.md says how to pass it
 * through Maven). None of our property tests fixes its seed, so every one of them can be replayed so.
 */
class PropertySeedTest {
    private static final Pattern SEED = Pattern.compile("Seed was (-?\\d+)");

    /** A property that fails for some ints: the message names the failing values and the seed. */
    private static String failureOf() {
        AssertionError e = assertThrows(AssertionError.class, () -> qt().withExamples(50).withShrinkCycles(0)
                .forAll(integers().between(0, 1_000_000)).check(i -> i % 7 != 3));
        return e.getMessage();
    }

    @Test
    void aFailingPropertyPrintsItsSeedAndThatSeedReplaysIt() {
        String first = failureOf();
        Matcher m = SEED.matcher(first);
        assertTrue(m.find(), first);
        String seed = m.group(1);
        String before = System.getProperty("QT_SEED");
        System.setProperty("QT_SEED", seed);
        try {
            String replay = failureOf();
            assertEquals(first, replay, "the same seed, the same examples, the same report");
        } finally {
            if (before == null) {
                System.clearProperty("QT_SEED");
            } else {
                System.setProperty("QT_SEED", before);
            }
        }
    }
}
