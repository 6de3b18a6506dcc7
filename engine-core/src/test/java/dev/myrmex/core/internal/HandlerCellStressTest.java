package dev.myrmex.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Jcstress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the jcstress tests in {@link HandlerCellStress}: a handler cell never loses a wake-up as a turn ends, and the
 * broken twin does (so the harness can see it).
 */
class HandlerCellStressTest {
    @Test
    void aTurnEndingNeverStrandsMailAndTheBrokenTwinDoes() throws Exception {
        Map<String, Jcstress.Tally> seen = Jcstress.run(HandlerCellStress.class);
        Jcstress.Tally handOff = Jcstress.tallyOf(seen, "HandOff");
        Jcstress.Tally twin = Jcstress.tallyOf(seen, "SenderWithoutLook");
        assertEquals(0, handOff.samples("0, 1"), "a lost wake-up: mail queued and no turn coming");
        assertEquals(0, handOff.failedRuns(), "jcstress reported failed runs of the hand-off");
        assertTrue(handOff.samples("0, 0") > 0 && handOff.samples("1, 1") > 0,
                "the race was not run both ways: " + handOff.samples());
        assertTrue(twin.samples("0, 1") > 0, "the broken twin never lost a wake-up: the harness cannot see it");
    }
}
