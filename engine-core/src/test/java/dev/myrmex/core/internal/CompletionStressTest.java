package dev.myrmex.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Jcstress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the jcstress tests in {@link CompletionStress}: an agent's completion, made on first use as the agent ends,
 * always completes, and the broken twin's does not (so the harness can see it).
 */
class CompletionStressTest {
    @Test
    void aCompletionMadeAsTheAgentEndsCompletesAndTheBrokenTwinsMayNot() throws Exception {
        Map<String, Jcstress.Tally> seen = Jcstress.run(CompletionStress.class);
        Jcstress.Tally real = Jcstress.tallyOf(seen, "FirstUse");
        Jcstress.Tally twin = Jcstress.tallyOf(seen, "MakerWithoutLook");
        assertEquals(0, real.samples("0"), "a completion that never completes");
        assertEquals(0, real.failedRuns(), "jcstress reported failed runs");
        assertTrue(twin.samples("0") > 0, "the broken twin's completion always completed: the harness cannot see it");
    }
}
