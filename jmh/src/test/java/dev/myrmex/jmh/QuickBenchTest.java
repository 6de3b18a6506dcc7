package dev.myrmex.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.jmh.QuickBench.Score;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ./myrmex bench quick}'s table: which way a ratio reads, which peer is best, which figures are noisy. */
class QuickBenchTest {
    private static Map<String, Score> row(double handler, double direct, double pekko, double jox) {
        Map<String, Score> m = new LinkedHashMap<>();
        m.put("MYRMEX_HANDLER", new Score(handler, handler * 0.01));
        m.put("MYRMEX", new Score(direct, direct * 0.01));
        m.put("PEKKO", new Score(pekko, pekko * 0.01));
        m.put("VT_JOX", new Score(jox, jox * 0.30)); // noisy
        return m;
    }

    @Test
    void aTimeRatioAndAThroughputRatioBothReadAboveOneWhenMyrmexIsFaster() {
        QuickBench.Row time = QuickBench.ROWS.get(0); // ping-pong, ns per hop: lower is better
        QuickBench.Row rate = QuickBench.ROWS.get(2); // counting, M msg/s: higher is better
        assertTrue(!time.higherIsBetter() && rate.higherIsBetter());
        Map<String, Score> pingPong = row(250, 700, 1_100, 2_000);
        assertEquals(1_100, QuickBench.best(time, pingPong).score(), "the fastest peer is the lowest time");
        assertEquals("4.40x", QuickBench.ratio(time, pingPong.get("MYRMEX_HANDLER"), QuickBench.best(time, pingPong)));
        assertEquals("1.57x", QuickBench.ratio(time, pingPong.get("MYRMEX"), QuickBench.best(time, pingPong)));
        Map<String, Score> counting = row(9, 5, 4.5, 6);
        assertEquals(6, QuickBench.best(rate, counting).score(), "the fastest peer is the highest rate");
        assertEquals("1.50x", QuickBench.ratio(rate, counting.get("MYRMEX_HANDLER"), QuickBench.best(rate, counting)));
        assertEquals("0.83x", QuickBench.ratio(rate, counting.get("MYRMEX"), QuickBench.best(rate, counting)));
    }

    @Test
    void theTableNamesEveryNoisyFigureAndMarksMissingOnes() {
        Map<String, Map<String, Score>> all = new LinkedHashMap<>();
        all.put(QuickBench.ROWS.get(0).label(), row(250, 700, 1_100, 2_000));
        String table = QuickBench.table(all);
        assertTrue(table.contains("| ping-pong, ns per hop | 250 | 700 | 1,100 | 2,000 | 4.40x | 1.57x |"), table);
        assertTrue(table.contains("| counting, M messages/s | - | - | - | - | - | - |"), table);
        assertTrue(table.contains("Too noisy to mean much") && table.contains("ping-pong, ns per hop, VT_JOX: +-30%"),
                table);
        assertTrue(table.contains("A ratio above 1 means Myrmex is faster"), table);
    }
}
