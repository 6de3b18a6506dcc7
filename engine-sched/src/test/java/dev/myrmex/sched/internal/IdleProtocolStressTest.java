package dev.myrmex.sched.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Jcstress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the jcstress tests in {@link IdleProtocolStress} (quick mode, a child JVM: jcstress forks its own) and checks
 * both halves of the claim: the real protocol never loses a wake-up, and the broken twin does, so the harness can
 * see the bug it guards against. About a minute on two cores.
 */
class IdleProtocolStressTest {
    private static final String LOST = "true, true";

    @Test
    void theProtocolNeverLosesAWakeupAndTheBrokenTwinDoes() throws Exception {
        Map<String, Jcstress.Tally> seen = Jcstress.run(IdleProtocolStress.class);
        Jcstress.Tally protocol = Jcstress.tallyOf(seen, "Protocol");
        Jcstress.Tally twin = Jcstress.tallyOf(seen, "BrokenTwin");
        assertEquals(0, protocol.samples(LOST), "lost wake-ups in the real protocol");
        assertEquals(0, protocol.failedRuns(), "jcstress reported failed runs of the real protocol");
        assertTrue(twin.samples(LOST) > 0, "the broken twin never lost a wake-up: the harness cannot see the bug");
    }
}
