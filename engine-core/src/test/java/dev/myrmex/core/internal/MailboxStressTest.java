package dev.myrmex.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Jcstress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the jcstress tests in {@link MailboxStress} and checks both halves of each claim: the mailbox never shows the
 * forbidden outcome, and each broken twin does (so the harness can see the bug the real code guards against).
 */
class MailboxStressTest {
    @Test
    void theMailboxsOrderingsHoldAndTheirBrokenTwinsFail() throws Exception {
        Map<String, Jcstress.Tally> seen = Jcstress.run(MailboxStress.class);
        Jcstress.Tally ranEmpty = Jcstress.tallyOf(seen, "RanEmpty");
        assertEquals(0, ranEmpty.samples("0"), "a muted sender was left on an empty mailbox");
        assertEquals(0, ranEmpty.samples("2"), "a muted sender was told twice");
        assertEquals(0, ranEmpty.failedRuns());
        assertTrue(Jcstress.tallyOf(seen, "RanEmptyUnfenced").samples("0") > 0,
                "the unfenced twin never lost a muted sender: the harness cannot see the bug");

        Jcstress.Tally close = Jcstress.tallyOf(seen, "Close");
        assertEquals(close.total(), close.samples("1, 0"), "a message raced the close and was not a dead letter");
        assertEquals(0, close.failedRuns());
        assertTrue(Jcstress.tallyOf(seen, "CloseWithoutSendersLook").samples("0, 1") > 0,
                "the twin never stranded a message: the harness cannot see the bug");
    }
}
