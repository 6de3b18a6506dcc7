package dev.myrmex.core.coord;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.coord.GossipSwarm.News;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Rounds to full coverage by gossip alone (repair off, default round limit, fanout 3), for 1,000 and 10,000 members,
 * against the epidemic estimate {@code T(n) = log_4 n + ln n / 3} (push gossip: the informed grow 4-fold a round,
 * then the uninformed shrink {@code e^3}-fold a round) and the hard floor {@code log_4(n + 1)} (no run can inform
 * more than {@code 4^r - 1} in {@code r} rounds). The relays' rounds are those of synchronous push gossip whatever the
 * runtime's timing (see {@link GossipRelay}), so the bounds below hold on a loaded machine. The figures are printed
 * ({@code gossip coverage:} lines) and quoted in docs/architecture.md.
 */
class GossipCoverageTest {
    private static final int FANOUT = 3;
    private static final long[] SEEDS = {1, 2, 3, 4};

    @Test
    void roundsToFullCoverageGrowLikeLogN() throws Exception {
        double small = measure(1_000, 5);
        double large = measure(10_000, 3);
        double growth = estimate(10_000) - estimate(1_000);
        System.out.printf(Locale.ROOT, "gossip coverage: from 1,000 to 10,000 members the mean rose %.2f rounds "
                + "(estimate %.2f)%n", large - small, growth);
        assertTrue(large - small > growth - 1.5 && large - small < growth + 1.5,
                "10x the members adds about log_4 10 + ln 10 / 3 = " + growth + " rounds: " + (large - small));
    }

    /** {@code log_4 n + ln n / 3}. */
    private static double estimate(int n) {
        return Math.log(n) / Math.log(FANOUT + 1) + Math.log(n) / FANOUT;
    }

    /** Runs {@code perSeed} broadcasts in a runtime per seed; returns the mean rounds to full coverage. */
    private static double measure(int n, int perSeed) throws Exception {
        List<Integer> rounds = new ArrayList<>();
        long messages = 0;
        long micros = 0;
        int limit = 0;
        for (long seed : SEEDS) {
            try (GossipSwarm s = new GossipSwarm(n, 0, seed, perSeed, "g");
                    Gossip<News> gossip = Gossip.builder(s.rt, "g", s.refs).fanout(FANOUT).repair(false).build()) {
                limit = gossip.roundLimit();
                for (int b = 0; b < perSeed; b++) {
                    GossipReport r = gossip.broadcast(new News(b)).get(WATCHDOG.toSeconds(), TimeUnit.SECONDS);
                    assertEquals(n, r.reachedByGossip(), "gossip alone reached every member: " + r);
                    assertTrue(r.rounds() >= GossipTest.fewestRounds(n), "no run beats the floor: " + r);
                    assertTrue(r.rounds() <= 2 * Math.log(n), "O(log n): at most 2 ln n rounds: " + r);
                    assertNull(s.check(b, s.liveMembers(), 0), r.toString());
                    rounds.add(r.rounds());
                    messages += r.messages();
                    micros += r.elapsed().toNanos() / 1_000;
                }
            }
        }
        IntSummaryStatistics st = rounds.stream().mapToInt(Integer::intValue).summaryStatistics();
        double ln = Math.log(n);
        System.out.printf(Locale.ROOT, "gossip coverage: %,d members, fanout %d, round limit %d, %d runs (seeds %s x "
                        + "%d broadcasts): rounds to full coverage mean %.2f min %d max %d %s; estimate "
                        + "log_4 n + ln n/3 = %.2f, ln n/ln 3 + ln ln n = %.2f, floor log_4(n+1) = %.2f; "
                        + "%.1f messages per member, %,d us per broadcast (a test's timing, not a benchmark)%n", n,
                FANOUT, limit, st.getCount(), Arrays.toString(SEEDS), perSeed, st.getAverage(), st.getMin(),
                st.getMax(), rounds, estimate(n), ln / Math.log(FANOUT) + Math.log(ln),
                Math.log(n + 1.0) / Math.log(FANOUT + 1), (double) messages / st.getCount() / n,
                micros / st.getCount());
        assertTrue(st.getAverage() > estimate(n) - 1 && st.getAverage() < estimate(n) + 2.5,
                "the mean rounds are near log_4 n + ln n / 3 = " + estimate(n) + ": " + st.getAverage());
        return st.getAverage();
    }
}
