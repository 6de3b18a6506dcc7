package dev.myrmex.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The sampling of flood-prone events: at most 100 a second, and the next one says how many were left out. */
class RuntimeEventsTest {

    @Test
    void aSecondLetsAHundredThroughAndTheNextSecondsFirstCountsTheRest() {
        RuntimeEvents.Sampler s = new RuntimeEvents.Sampler();
        for (int i = 0; i < RuntimeEvents.SAMPLED_PER_SECOND; i++) {
            assertEquals(0, s.admit(7));
        }
        for (int i = 0; i < 50; i++) {
            assertEquals(-1, s.admit(7), "over this second's sample");
        }
        assertEquals(50, s.admit(8), "a new second: this one goes, and carries the count left out");
        assertEquals(0, s.admit(8));
    }
}
