package dev.myrmex.core.coord;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.Iso;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.Val;
import dev.myrmex.core.testing.RuntimeExtension;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QuorumTest {
    record Question(int n) implements Val {
    }

    record Answer(String value) implements Val {
    }

    @RegisterExtension
    final RuntimeExtension runtimes = new RuntimeExtension();

    private AgentRuntime rt;

    @BeforeEach
    void start() {
        rt = runtimes.track(AgentRuntime.builder().workers(2).build());
        rt.start();
    }

    /** A member that answers {@code value}, or never answers if {@code value} is null. */
    private AgentRef<Question> member(String name, String value) {
        return rt.<Question>spawn(name, Behaviors.nonBlocking((ctx, m) -> {
            if (value != null) {
                ctx.reply(m, new Answer(value));
            }
        })).ref();
    }

    private List<AgentRef<Question>> members(String... values) {
        List<AgentRef<Question>> refs = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            refs.add(member("m" + i, values[i]));
        }
        return refs;
    }

    private static QuorumResult<Answer> await(Quorum<Question, Answer> q) throws Exception {
        return q.ask(new Question(1)).get(WATCHDOG.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void fiveAgreeingMembersDecideAndLateAnswersAreCounted() throws Exception {
        List<AgentRef<Question>> m = members("yes", "yes", "yes", "yes", "yes");
        Quorum<Question, Answer> q = Quorum.of(rt, m, QuorumThreshold.majority(), Duration.ofSeconds(30));
        assertEquals(3, q.required());
        QuorumResult<Answer> r = await(q);
        assertTrue(r.decided());
        assertEquals(new Answer("yes"), r.decision());
        assertEquals(3, r.required());
        // decided once a third equal answer is in and every member was asked; answers after that are late
        int votes = r.votes().get(new Answer("yes")).size();
        assertTrue(votes >= 3, r.toString());
        assertEquals(5, votes + r.pending().size(), r.toString());
        assertTrue(r.failed().isEmpty() && r.timedOut().isEmpty() && !r.conflicting());
        Await.until(() -> q.lateAnswers() == 5 - votes, "the answers after the decision are counted late");
    }

    @Test
    void conflictingAnswersThatCannotAgreeEndTheRoundAtOnceWithTheTally() throws Exception {
        Quorum<Question, Answer> q = Quorum.of(rt, members("a", "b", "a", "b", "c"), QuorumThreshold.majority(),
                Duration.ofSeconds(30));
        QuorumResult<Answer> r = await(q);
        assertEquals(QuorumResult.Outcome.NO_QUORUM, r.outcome());
        assertNull(r.decision());
        assertEquals(Map.of(new Answer("a"), 2, new Answer("b"), 2, new Answer("c"), 1), r.tally());
        assertTrue(r.conflicting());
        assertEquals(5, r.dissenters().size());
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(30)) < 0, "not at the timeout");
    }

    @Test
    void aByzantineMinorityIsOutvotedUnderTwoThirds() throws Exception {
        // 7 members: 5 honest, 2 byzantine; two thirds of 7 = 5
        Quorum<Question, Answer> q = Quorum.of(rt, members("ok", "lie", "ok", "ok", "lie2", "ok", "ok"),
                QuorumThreshold.twoThirds(), Duration.ofSeconds(30));
        assertEquals(5, q.required());
        QuorumResult<Answer> r = await(q);
        assertEquals(new Answer("ok"), r.decision());
        assertEquals(5, r.votes().get(new Answer("ok")).size());
    }

    @Test
    void silentMembersTimeOutAndAreNamed() throws Exception {
        List<AgentRef<Question>> m = members("yes", null, null);
        Quorum<Question, Answer> q = Quorum.of(rt, m, QuorumThreshold.majority(), Duration.ofMillis(50));
        QuorumResult<Answer> r = await(q);
        assertEquals(QuorumResult.Outcome.TIMED_OUT, r.outcome());
        assertEquals(List.of(m.get(1), m.get(2)), r.timedOut());
        assertEquals(Map.of(new Answer("yes"), 1), r.tally());
        assertTrue(r.elapsed().compareTo(Duration.ofMillis(50)) >= 0, "not before the timeout: " + r.elapsed());
    }

    @Test
    void stoppedMembersFailAtOnce() throws Exception {
        List<AgentRef<Question>> m = members("yes", "yes", "yes");
        rt.lookup("m1").orElseThrow().stopNow();
        rt.lookup("m2").orElseThrow().stopNow();
        Await.until(() -> rt.agentCount() == 1, "two members stopped");
        QuorumResult<Answer> r = await(Quorum.of(rt, m, QuorumThreshold.majority(), Duration.ofSeconds(30)));
        assertEquals(QuorumResult.Outcome.NO_QUORUM, r.outcome());
        assertEquals(List.of(m.get(1), m.get(2)), r.failed());
    }

    /**
     * Property: for random members (each answering one of three values, silent, or stopped) and a majority or
     * two-thirds threshold, the outcome is what a model says: decided on the value that has enough answers; else
     * timed out if the silent ones could still have made it; else no quorum. Tallies count only what was answered.
     */
    @Test
    void theOutcomeFollowsTheModel() {
        qt().withExamples(40).withShrinkCycles(0)
                .forAll(integers().between(1, 9), integers().between(0, 1_000_000))
                .checkAssert((n, seed) -> {
                    try {
                        checkAgainstModel(n, seed);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
    }

    private void checkAgainstModel(int n, int seed) throws Exception {
        Random random = new Random(seed);
        String[] kinds = new String[n]; // "a" "b" "c" answer, "silent", "stopped"
        List<AgentRef<Question>> m = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = random.nextInt(10);
            kinds[i] = k < 6 ? "a" : k < 7 ? "b" : k < 8 ? "c" : k < 9 ? "silent" : "stopped";
            String name = "p" + seed + "-" + i;
            m.add(member(name, kinds[i].length() == 1 ? kinds[i] : null));
            if (kinds[i].equals("stopped")) {
                var h = rt.lookup(name).orElseThrow();
                h.stopNow();
                h.join(WATCHDOG);
            }
        }
        QuorumThreshold threshold = random.nextBoolean() ? QuorumThreshold.majority() : QuorumThreshold.twoThirds();
        int required = threshold.required(n);
        Map<String, Integer> counts = new HashMap<>();
        int silent = 0;
        for (String k : kinds) {
            if (k.length() == 1) {
                counts.merge(k, 1, Integer::sum);
            } else if (k.equals("silent")) {
                silent++;
            }
        }
        int best = counts.values().stream().max(Integer::compare).orElse(0);
        QuorumResult<Answer> r = Quorum.<Question, Answer>of(rt, m, threshold, Duration.ofMillis(40))
                .ask(new Question(seed)).get(WATCHDOG.toSeconds(), TimeUnit.SECONDS);
        String what = List.of(kinds) + " " + threshold + " -> " + r;
        if (best >= required) {
            String winner = counts.entrySet().stream().filter(e -> e.getValue() == best).findFirst().orElseThrow()
                    .getKey();
            assertEquals(QuorumResult.Outcome.DECIDED, r.outcome(), what);
            assertEquals(new Answer(winner), r.decision(), what);
            int votes = r.votes().get(r.decision()).size();
            assertTrue(votes >= required && votes <= best, what);
        } else if (best + silent >= required) {
            assertEquals(QuorumResult.Outcome.TIMED_OUT, r.outcome(), what);
            assertEquals(silent, r.timedOut().size(), what);
            assertEquals(counts.size(), r.votes().size(), what);
        } else {
            assertFalse(r.decided(), what);
            // with silent members, the round may end early as hopeless or at the timeout; without, never timed out
            if (silent == 0) {
                assertEquals(QuorumResult.Outcome.NO_QUORUM, r.outcome(), what);
            }
        }
        assertEquals(kinds.length - List.of(kinds).stream().filter(k -> !k.equals("stopped")).count(),
                r.failed().size(), what);
    }

    @Test
    void badArgumentsAreNamed() {
        List<AgentRef<Question>> three = members("a", "a", "a");
        IllegalArgumentException above = assertThrows(IllegalArgumentException.class,
                () -> Quorum.of(rt, three, QuorumThreshold.count(4), Duration.ofSeconds(1)));
        assertTrue(above.getMessage().contains("threshold 4") && above.getMessage().contains("member count 3"),
                above.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> Quorum.of(rt, List.<AgentRef<Question>>of(), QuorumThreshold.majority(), Duration.ofSeconds(1)));
        assertTrue(none.getMessage().contains("members"), none.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> Quorum.of(rt,
                List.of(three.get(0), three.get(0)), QuorumThreshold.majority(), Duration.ofSeconds(1)));
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
                () -> Quorum.of(rt, three, QuorumThreshold.majority(), Duration.ZERO));
        assertTrue(timeout.getMessage().contains("timeout") && timeout.getMessage().contains("PT0S"));
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> QuorumThreshold.count(0));
        assertTrue(count.getMessage().contains("threshold") && count.getMessage().contains("0"));
        AgentRef<Sendable> any = rt.<Sendable>spawn("any", Behaviors.nonBlocking((ctx, m) -> { })).ref();
        Quorum<Sendable, Answer> q = Quorum.of(rt, List.of(any), QuorumThreshold.majority(), Duration.ofSeconds(1));
        IllegalArgumentException iso = assertThrows(IllegalArgumentException.class,
                () -> q.ask(Iso.of(new StringBuilder("mine"))));
        assertTrue(iso.getMessage().contains("Iso"), iso.getMessage());
    }
}
