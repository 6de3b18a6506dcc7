package dev.myrmex.core.scheduling;

import static dev.myrmex.core.scheduling.AgentSchedule.GO;
import static dev.myrmex.core.scheduling.AgentSchedule.YIELD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.time.RuntimeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The built-in policies' mechanisms, driven by a manual clock: ranks, budgets, slices, aging, token buckets. */
class SchedulingPolicyTest {
    private final RuntimeClock.Manual clock = RuntimeClock.manual();

    private static ScheduledAgent agent(String name, Priority p) {
        return new ScheduledAgent(name, p);
    }

    /** Admits until the schedule says something else; returns how many were admitted. */
    private static int admitUntilRefused(AgentSchedule s, int atMost) {
        int n = 0;
        while (n < atMost && s.admit() == GO) {
            n++;
        }
        return n;
    }

    @Test
    void fairShareEndsARunAtItsMessageBudget() {
        AgentSchedule s = SchedulingPolicy.fairShare(5, Duration.ofSeconds(1)).schedule(agent("a", Priority.NORMAL),
                clock);
        s.runStarted();
        assertEquals(5, admitUntilRefused(s, 100));
        assertEquals(YIELD, s.admit());
        s.runEnded();
        s.runStarted();
        assertEquals(5, admitUntilRefused(s, 100), "a new run, a new budget");
    }

    @Test
    void fairShareEndsARunAtItsTimeSliceButAlwaysTakesTheFirstMessage() {
        AgentSchedule s = SchedulingPolicy.fairShare(1000, Duration.ofMillis(2)).schedule(agent("a", Priority.NORMAL),
                clock);
        s.runStarted();
        assertEquals(GO, s.admit());
        clock.advance(Duration.ofMillis(1));
        assertEquals(GO, s.admit(), "1 ms of a 2 ms slice used");
        clock.advance(Duration.ofMillis(1));
        assertEquals(YIELD, s.admit(), "the slice is used up");
        s.runEnded();
        s.runStarted();
        clock.advance(Duration.ofMillis(5)); // a first message that came late still goes: every run makes progress
        assertEquals(GO, s.admit());
        assertEquals(YIELD, s.admit());
    }

    @Test
    void fairShareRanksTheAgentThatUsedLessTimeFirst() {
        SchedulingPolicy fair = SchedulingPolicy.fairShare();
        AgentSchedule heavy = fair.schedule(agent("heavy", Priority.NORMAL), clock);
        AgentSchedule light = fair.schedule(agent("light", Priority.NORMAL), clock);
        run(heavy, Duration.ofMillis(10));
        run(light, Duration.ofMillis(1));
        assertTrue(light.rank() < heavy.rank(), "light used 1 ms, heavy 10 ms");
        for (int i = 0; i < 9; i++) {
            run(light, Duration.ofMillis(1));
        }
        run(light, Duration.ofMillis(1)); // 11 ms now
        assertTrue(heavy.rank() < light.rank(), "light has now used more than heavy");
    }

    @Test
    void fairShareBringsAnIdleAgentBackOneSliceAheadOfTheBusyOnesNotAheadByItsIdleTime() {
        Duration slice = Duration.ofMillis(2);
        SchedulingPolicy fair = SchedulingPolicy.fairShare(64, slice);
        AgentSchedule busy = fair.schedule(agent("busy", Priority.NORMAL), clock);
        AgentSchedule sleeper = fair.schedule(agent("sleeper", Priority.NORMAL), clock);
        long lastRank = 0;
        for (int i = 0; i < 100; i++) {
            long rank = busy.rank();
            assertTrue(i == 0 || rank == lastRank + Duration.ofMillis(1).toNanos(), "1 ms per run");
            lastRank = rank;
            run(busy, Duration.ofMillis(1));
        }
        long floor = lastRank; // the rank of the busy agent's last run
        assertEquals(floor - slice.toNanos(), sleeper.rank(),
                "the sleeper comes back one slice ahead of the floor, not with 100 ms of credit");
        assertTrue(sleeper.rank() < busy.rank(), "so it runs first");
        AgentSchedule newcomer = fair.schedule(agent("newcomer", Priority.NORMAL), clock);
        assertEquals(floor - slice.toNanos(), newcomer.rank(), "so does a new agent");
    }

    private void run(AgentSchedule s, Duration cost) {
        s.rank();
        s.runStarted();
        s.admit();
        clock.advance(cost);
        s.runEnded();
    }

    @Test
    void priorityRanksHigherLevelsFirstByOneAgingStepPerLevel() {
        SchedulingPolicy p = SchedulingPolicy.priority(Duration.ofMillis(10), 64, Duration.ofMillis(1));
        clock.advance(Duration.ofSeconds(1));
        long now = clock.nanoTime();
        long step = Duration.ofMillis(10).toNanos();
        assertEquals(now, p.schedule(agent("c", Priority.CRITICAL), clock).rank());
        assertEquals(now + step, p.schedule(agent("h", Priority.HIGH), clock).rank());
        assertEquals(now + 2 * step, p.schedule(agent("n", Priority.NORMAL), clock).rank());
        assertEquals(now + 3 * step, p.schedule(agent("l", Priority.LOW), clock).rank());
    }

    @Test
    void priorityAgingLetsALowRunThatWaitedThreeStepsGoAheadOfAFreshCriticalOne() {
        SchedulingPolicy p = SchedulingPolicy.priority(Duration.ofMillis(10), 64, Duration.ofMillis(1));
        AgentSchedule low = p.schedule(agent("low", Priority.LOW), clock);
        AgentSchedule critical = p.schedule(agent("critical", Priority.CRITICAL), clock);
        long lowQueuedAt = low.rank();
        clock.advance(Duration.ofMillis(29));
        assertTrue(critical.rank() < lowQueuedAt, "29 ms of waiting: still behind a fresh CRITICAL run");
        clock.advance(Duration.ofMillis(2));
        assertTrue(lowQueuedAt < critical.rank(), "31 ms of waiting: three levels gained, LOW goes first");
    }

    @Test
    void priorityRunsAreBoundedByBudgetAndSlice() {
        AgentSchedule s = SchedulingPolicy.priority(Duration.ofMillis(10), 3, Duration.ofMillis(1))
                .schedule(agent("a", Priority.LOW), clock);
        s.runStarted();
        assertEquals(3, admitUntilRefused(s, 100));
        s.runStarted();
        assertEquals(GO, s.admit());
        clock.advance(Duration.ofMillis(1));
        assertEquals(YIELD, s.admit());
    }

    @Test
    void roundRobinGivesEveryRunTheSameRankAndAFixedQuantum() {
        SchedulingPolicy rr = SchedulingPolicy.roundRobin(2);
        AgentSchedule a = rr.schedule(agent("a", Priority.CRITICAL), clock);
        AgentSchedule b = rr.schedule(agent("b", Priority.LOW), clock);
        clock.advance(Duration.ofHours(1));
        assertEquals(a.rank(), b.rank(), "priority and time do not matter: arrival order does");
        a.runStarted();
        assertEquals(2, admitUntilRefused(a, 100));
        a.runStarted();
        assertEquals(2, admitUntilRefused(a, 100));
        AgentSchedule one = SchedulingPolicy.roundRobin().schedule(agent("c", Priority.NORMAL), clock);
        one.runStarted();
        assertEquals(1, admitUntilRefused(one, 100));
    }

    @Test
    void rateBasedAllowsABurstThenOneMessagePerInterval() {
        AgentSchedule s = SchedulingPolicy.rateBased(10, 3).schedule(agent("a", Priority.NORMAL), clock);
        s.runStarted();
        assertEquals(3, admitUntilRefused(s, 100), "a full bucket of 3 at spawn");
        long wait = s.admit();
        assertEquals(Duration.ofMillis(100).toNanos(), wait, "the next token is due in 1/10 s");
        clock.advance(Duration.ofMillis(60));
        assertEquals(Duration.ofMillis(40).toNanos(), s.admit(), "asked early: the rest of the wait");
        clock.advance(Duration.ofMillis(40));
        assertEquals(GO, s.admit());
        assertTrue(s.admit() > 0);
    }

    @Test
    void rateBasedHoldsItsRateExactlyOverALongRun() {
        AgentSchedule s = SchedulingPolicy.rateBased(1000, 10).schedule(agent("a", Priority.NORMAL), clock);
        long taken = 0;
        long end = Duration.ofSeconds(10).toNanos();
        while (clock.nanoTime() < end) {
            s.runStarted();
            long d;
            while ((d = s.admit()) == GO) {
                taken++;
            }
            // a yield at the run's budget costs nothing here; a wait moves the clock to the next token
            clock.advance(Duration.ofNanos(d > 0 ? d : 0));
        }
        // 10 at once at 0, then one at each millisecond from 1 to 9,999 (the loop stops at 10 s): 10 + 9,999
        assertEquals(10_009, taken, "the rate must not drift");
    }

    @Test
    void rateBasedRefillsAfterAQuietSpellButNeverBeyondTheBurst() {
        AgentSchedule s = SchedulingPolicy.rateBased(100, 5).schedule(agent("a", Priority.NORMAL), clock);
        s.runStarted();
        assertEquals(5, admitUntilRefused(s, 100));
        clock.advance(Duration.ofMinutes(1));
        s.runStarted();
        assertEquals(5, admitUntilRefused(s, 100), "a minute of quiet refills the bucket, to 5 only");
    }

    @Test
    void rateBasedYieldsAtTheRunBudgetWhileTokensLast() {
        AgentSchedule s = SchedulingPolicy.rateBased(1e9, 1_000_000).schedule(agent("a", Priority.NORMAL), clock);
        s.runStarted();
        assertEquals(SchedulingPolicy.DEFAULT_BUDGET, admitUntilRefused(s, 1000));
        assertEquals(YIELD, s.admit());
    }

    @Test
    void badArgumentsNameTheParameterAndTheValue() {
        assertMessage("messageBudget must be at least 1: 0", () -> SchedulingPolicy.fairShare(0, Duration.ofMillis(1)));
        assertMessage("timeSlice must be positive: PT0S", () -> SchedulingPolicy.fairShare(1, Duration.ZERO));
        assertMessage("agingStep must be positive: PT-1S",
                () -> SchedulingPolicy.priority(Duration.ofSeconds(-1), 1, Duration.ofMillis(1)));
        assertMessage("quantum must be at least 1: 0", () -> SchedulingPolicy.roundRobin(0));
        assertMessage("messagesPerSecond must be positive, finite and at most 1e9: 0.0",
                () -> SchedulingPolicy.rateBased(0, 1));
        assertMessage("messagesPerSecond must be positive, finite and at most 1e9: NaN",
                () -> SchedulingPolicy.rateBased(Double.NaN, 1));
        assertMessage("burst must be at least 1: 0", () -> SchedulingPolicy.rateBased(10, 0));
        assertThrows(UnsupportedOperationException.class,
                () -> SchedulingPolicy.DIRECT.schedule(agent("a", Priority.NORMAL), clock));
    }

    private static void assertMessage(String expected, Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertEquals(expected, x.getMessage());
    }
}
