package dev.myrmex.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The sampling of flood-prone events: at most 100 a second, and the next one says how many were left out. */
class RuntimeEventsTest {

    @Test
    void aSecondLetsAHundredThroughAndTheNextSecondsFirstCountsTheRest() {
        RuntimeEvents.Sampler s = new RuntimeEvents.Sampler();
        for (int i = 0; i < RuntimeEvents.SAMPLED_PER_SECOND; i++) {
            assertTrue(s.admit(7));
            assertEquals(0, s.takeSkipped());
        }
        for (int i = 0; i < 50; i++) {
            assertFalse(s.admit(7), "over this second's sample");
        }
        assertTrue(s.admit(8), "a new second: this one goes");
        assertEquals(50, s.takeSkipped(), "and carries the count left out");
        assertTrue(s.admit(8));
        assertEquals(0, s.takeSkipped());
    }
}
