package dev.myrmex.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Jcstress} tallies jcstress's verbose output: outcomes summed over runs, failed runs counted, others ignored.
 */
class JcstressTest {
    private static final String OUT = """
            .......... [OK] a.b.Holder.Real

              Fork: #1
                   RESULT    SAMPLES     FREQ       EXPECT  DESCRIPTION
              false, true  5,138,451  100.00%   Acceptable  the worker is awake
               true, true          0    0.00%    Forbidden  lost wake-up

            .......... [FAILED] a.b.Holder.Real

                   RESULT    SAMPLES     FREQ       EXPECT  DESCRIPTION
              false, true         10   90.91%   Acceptable  the worker is awake
               true, true          1    9.09%    Forbidden  lost wake-up

            .......... [OK] a.b.Holder.Twin
                   RESULT    SAMPLES     FREQ       EXPECT  DESCRIPTION
                        1  3,912,189   49.50%   Acceptable  woken
                        0  3,991,062   50.50%  Interesting  lost, as expected of the twin

            .......... [OK] a.b.Holder.Twin
                   RESULT    SAMPLES     FREQ       EXPECT  DESCRIPTION
                        1    658,532   99.99%   Acceptable  woken
                        0          7   <0.01%  Interesting  lost, as expected of the twin

            .......... [OK] a.b.Other.Test
                        1          7  100.00%   Acceptable  not ours
            """;

    @Test
    void outcomesAreSummedOverRunsAndOtherHoldersAreLeftOut() {
        Map<String, Jcstress.Tally> t = Jcstress.tally(OUT, "a.b.Holder.", "a.b.Holder$");
        assertEquals(2, t.size(), "only the holder's tests: " + t.keySet());
        Jcstress.Tally real = t.get("Real");
        assertEquals(5_138_461L, real.samples("false, true"));
        assertEquals(1, real.samples("true, true"));
        assertEquals(2, real.runs());
        assertEquals(1, real.failedRuns());
        Jcstress.Tally twin = t.get("Twin");
        assertEquals(3_991_069L, twin.samples("0"), "a rare outcome (<0.01%) counts too");
        assertEquals(8_561_790L, twin.total());
        assertEquals(0, twin.samples("2"), "an outcome never seen");
    }
}
