package dev.myrmex.core.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Jcstress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the jcstress tests in {@link ChannelStress}: a send racing the channel's close is never lost, and the design
 * with a separate closed flag loses one (so the harness can see it).
 */
class ChannelStressTest {
    @Test
    void aSendRacingTheCloseIsReceivedOrRefusedAndTheFlagTwinLosesOne() throws Exception {
        Map<String, Jcstress.Tally> seen = Jcstress.run(ChannelStress.class);
        Jcstress.Tally real = Jcstress.tallyOf(seen, "CloseBit");
        Jcstress.Tally twin = Jcstress.tallyOf(seen, "ClosedFlag");
        assertEquals(0, real.samples("1, 0") + real.samples("0, 1"), "a send lost, or refused and received");
        assertEquals(0, real.failedRuns(), "jcstress reported failed runs");
        assertTrue(real.samples("1, 1") > 0 && real.samples("0, 0") > 0, "the race was not run both ways: "
                + real.samples());
        assertTrue(twin.samples("1, 0") > 0, "the flag twin never lost a send: the harness cannot see it");
    }
}
