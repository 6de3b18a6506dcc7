package dev.myrmex.core;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.scheduling.AgentSchedule;
import dev.myrmex.core.scheduling.Priority;
import dev.myrmex.core.scheduling.ScheduledAgent;
import dev.myrmex.core.scheduling.SchedulingPolicy;
import dev.myrmex.core.spi.AgentStyle;
import dev.myrmex.core.testing.Styled;
import dev.myrmex.core.time.RuntimeClock;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scheduling policies wired through the runtime. Most tests run one carrier and hold it with a spinning agent while
 * they queue work, so that what runs first is the policy's choice alone; then they let go and read the order.
 */
class SchedulingPoliciesTest {
    record Num(int n) implements Val {
    }

    /** The three ways an agent's behavior runs, each of which must obey its policy. */
    private static Behavior<Num> recorder(AgentStyle style, String name, List<String> log, Runnable perMessage) {
        return Styled.behavior(style, (ctx, m) -> {
            perMessage.run();
            log.add(name + m.payload().n());
        });
    }

    /** Spawns an agent outside any policy that spins on the only carrier until the returned flag is set. */
    private static AtomicBoolean holdTheCarrier(AgentRuntime rt) throws InterruptedException {
        AtomicBoolean release = new AtomicBoolean();
        CountDownLatch holding = new CountDownLatch(1);
        rt.spawn("carrier-holder", ctx -> {
            holding.countDown();
            while (!release.get()) {
                Thread.onSpinWait();
            }
        }, SpawnOptions.DEFAULTS.withScheduling(SchedulingPolicy.DIRECT));
        assertTrue(holding.await(WATCHDOG.toMillis(), TimeUnit.MILLISECONDS));
        return release;
    }

    /** Lets direct-style agents reach their first receive before the carrier is held. */
    private static void settle(AgentRuntime rt, List<AgentHandle<Num>> agents) {
        for (AgentHandle<Num> a : agents) {
            Await.until(() -> ((dev.myrmex.core.internal.AgentCell<?>) a).isWaitingForMail());
        }
    }

    @Test
    void priorityRunsHigherPrioritiesFirst() throws Exception {
        SchedulingPolicy byPriority = SchedulingPolicy.priority(Duration.ofHours(1), 64, Duration.ofMillis(1));
        try (AgentRuntime rt = AgentRuntime.builder().workers(1).schedulingPolicy(byPriority).build()) {
            rt.start();
            List<String> log = new CopyOnWriteArrayList<>();
            List<AgentHandle<Num>> agents = new ArrayList<>();
            String[] names = {"low1", "low2", "normal", "high", "critical"};
            Priority[] levels = {Priority.LOW, Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.CRITICAL};
            for (int i = 0; i < names.length; i++) {
                agents.add(rt.spawn(names[i], recorder(AgentStyle.HANDLER, names[i], log, () -> { }),
                        SpawnOptions.DEFAULTS.withPriority(levels[i])));
            }
            AtomicBoolean release = holdTheCarrier(rt);
            for (AgentHandle<Num> a : agents) { // queued in this order, LOW first
                a.ref().signal(new Num(1));
            }
            release.set(true);
            Await.until(() -> log.size() == names.length);
            assertEquals(List.of("critical1", "high1", "normal1", "low11", "low21"), log);
        }
    }

    @ParameterizedTest
    @EnumSource(AgingCase.class)
    void priorityAgingIsReadFromTheRuntimeClock(AgingCase c) throws Exception {
        RuntimeClock.Manual clock = RuntimeClock.manual();
        SchedulingPolicy byPriority = SchedulingPolicy.priority(Duration.ofMillis(10), 64, Duration.ofMillis(1));
        try (AgentRuntime rt = AgentRuntime.builder().workers(1).clock(clock).schedulingPolicy(byPriority).build()) {
            rt.start();
            List<String> log = new CopyOnWriteArrayList<>();
            AgentHandle<Num> low = rt.spawn("low", recorder(AgentStyle.HANDLER, "low", log, () -> { }),
                    SpawnOptions.DEFAULTS.withPriority(Priority.LOW));
            AgentHandle<Num> critical = rt.spawn("critical",
                    recorder(AgentStyle.HANDLER, "critical", log, () -> { }),
                    SpawnOptions.DEFAULTS.withPriority(Priority.CRITICAL));
            AtomicBoolean release = holdTheCarrier(rt);
            low.ref().signal(new Num(1));
            clock.advance(c.waited);
            critical.ref().signal(new Num(1));
            release.set(true);
            Await.until(() -> log.size() == 2);
            assertEquals(c.order, log);
        }
    }

    enum AgingCase {
        LOW_WAITED_TOO_LITTLE(Duration.ofMillis(29), List.of("critical1", "low1")),
        LOW_WAITED_THREE_STEPS(Duration.ofMillis(31), List.of("low1", "critical1"));

        final Duration waited;
        final List<String> order;

        AgingCase(Duration waited, List<String> order) {
            this.waited = waited;
            this.order = order;
        }
    }

    @ParameterizedTest
    @EnumSource(AgentStyle.class)
    void roundRobinAlternatesBetweenReadyAgents(AgentStyle style) throws Exception {
        try (AgentRuntime rt = AgentRuntime.builder().workers(1).schedulingPolicy(SchedulingPolicy.roundRobin())
                .build()) {
            rt.start();
            List<String> log = new CopyOnWriteArrayList<>();
            AgentHandle<Num> a = rt.spawn("a", recorder(style, "a", log, () -> { }));
            AgentHandle<Num> b = rt.spawn("b", recorder(style, "b", log, () -> { }));
            settle(rt, List.of(a, b));
            AtomicBoolean release = holdTheCarrier(rt);
            for (int i = 1; i <= 3; i++) {
                a.ref().signal(new Num(i));
            }
            for (int i = 1; i <= 3; i++) {
                b.ref().signal(new Num(i));
            }
            release.set(true);
            Await.until(() -> log.size() == 6);
            assertEquals(List.of("a1", "b1", "a2", "b2", "a3", "b3"), log);
        }
    }

    @Test
    void fairShareGivesTheCheaperAgentMoreRuns() throws Exception {
        RuntimeClock.Manual clock = RuntimeClock.manual();
        try (AgentRuntime rt = AgentRuntime.builder().workers(1).clock(clock)
                .schedulingPolicy(SchedulingPolicy.fairShare()).build()) {
            rt.start();
            List<String> log = new CopyOnWriteArrayList<>();
            // Each message "costs" what its handler moves the runtime's clock by: 10 ms against 1 ms.
            AgentHandle<Num> heavy = rt.spawn("heavy", recorder(AgentStyle.HANDLER, "h", log,
                    () -> clock.advance(Duration.ofMillis(10))));
            AgentHandle<Num> light = rt.spawn("light", recorder(AgentStyle.HANDLER, "l", log,
                    () -> clock.advance(Duration.ofMillis(1))));
            AtomicBoolean release = holdTheCarrier(rt);
            for (int i = 0; i < 20; i++) {
                heavy.ref().signal(new Num(i));
                light.ref().signal(new Num(i));
            }
            release.set(true);
            Await.until(() -> log.size() == 40);
            List<String> first12 = log.subList(0, 12);
            long lightRuns = first12.stream().filter(s -> s.startsWith("l")).count();
            // A 100 us slice lets each run take one message. heavy runs first (it queued first), then light catches up
            // 10 ms of processing time in 1 ms runs before heavy runs again: equal time, not equal turns.
            assertEquals(10, lightRuns, "light's share of the first 12 runs: " + first12);
            assertEquals("h0", log.get(0));
            assertEquals("h1", first12.get(11));
        }
    }

    /** What {@link PinnedReceiver} works with: set first (setting its own fields would initialise it at once). */
    static final class PinnedInputs {
        static DirectContext<Num> context;
        static List<String> log;
    }

    /** Receives three messages inside a class initializer, where a virtual thread is pinned and cannot yield. */
    static final class PinnedReceiver {
        static {
            try {
                for (int i = 0; i < 3; i++) {
                    PinnedInputs.log.add("p" + PinnedInputs.context.receive().payload().n());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static void receiveThree() {
            // initialising the class does the work
        }
    }

    @Test
    void anAgentThatCannotYieldTakesItsMessagesInsteadOfSpinning() throws Exception {
        try (AgentRuntime rt = AgentRuntime.builder().workers(1).schedulingPolicy(SchedulingPolicy.roundRobin())
                .build()) {
            rt.start();
            List<String> log = new CopyOnWriteArrayList<>();
            AgentHandle<Num> pinned = rt.spawn("pinned", ctx -> {
                PinnedInputs.context = ctx;
                PinnedInputs.log = log;
                PinnedReceiver.receiveThree(); // each message after the first asks for a yield, which is declined
            });
            for (int i = 1; i <= 3; i++) {
                pinned.ref().signal(new Num(i));
            }
            pinned.join(WATCHDOG);
            assertEquals(List.of("p1", "p2", "p3"), log);
        }
    }

    @ParameterizedTest
    @EnumSource(AgentStyle.class)
    void aRateLimitedAgentTakesNoMoreThanItsRate(AgentStyle style) throws Exception {
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {
            rt.start();
            List<String> log = new CopyOnWriteArrayList<>();
            List<Long> at = new CopyOnWriteArrayList<>();
            AgentHandle<Num> metered = rt.spawn("metered", recorder(style, "m", log, () -> at.add(System.nanoTime())),
                    SpawnOptions.DEFAULTS.withScheduling(SchedulingPolicy.rateBased(100, 1)));
            for (int i = 0; i < 21; i++) {
                metered.ref().signal(new Num(i));
            }
            Await.until(() -> log.size() == 21);
            long spanNanos = at.get(20) - at.get(0);
            // One message per 10 ms after the first: the 21st no earlier than 200 ms after the first. (Only a lower
            // bound: a slow machine makes it later, never earlier.)
            assertTrue(spanNanos >= Duration.ofMillis(200).toNanos(), "21 messages in " + spanNanos / 1e6 + " ms");
            for (int i = 0; i < 21; i++) {
                assertEquals("m" + i, log.get(i), "in order");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(AgentStyle.class)
    void aStopCutsARateWaitShortAndTheHeldMessageBecomesADeadLetter(AgentStyle style) throws Exception {
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {
            rt.start();
            List<String> log = new CopyOnWriteArrayList<>();
            AgentHandle<Num> metered = rt.spawn("metered", recorder(style, "m", log, () -> { }),
                    SpawnOptions.DEFAULTS.withScheduling(SchedulingPolicy.rateBased(1.0 / 3600, 1))); // 1 an hour
            for (int i = 0; i < 3; i++) {
                metered.ref().signal(new Num(i));
            }
            Await.until(() -> log.size() == 1 && metered.metrics().mailboxDepth() == 2);
            metered.stop(); // without the cut, the agent would wait an hour for its next token
            metered.join(WATCHDOG);
            assertEquals(AgentState.STOPPED, metered.state());
            assertEquals(List.of("m0"), log);
            List<DeadLetter> dead = rt.deadLetters().recent();
            assertEquals(List.of(new Num(1), new Num(2)), dead.stream().map(d -> d.message().payload()).toList(),
                    "the held message first, then the rest, nothing lost");
            assertTrue(dead.stream().allMatch(d -> d.reason() == DeadLetter.Reason.RECIPIENT_STOPPED));
        }
    }

    /** A custom policy: {@code make} gives each agent its schedule. */
    private static SchedulingPolicy custom(String name, java.util.function.Function<ScheduledAgent,
            AgentSchedule> make) {
        return new SchedulingPolicy() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public AgentSchedule schedule(ScheduledAgent agent, RuntimeClock clock) {
                return make.apply(agent);
            }
        };
    }

    @Test
    void aCustomPolicyOrdersRunsByItsOwnRanks() throws Exception {
        // Ranks by the number at the end of the agent's name: agent-3 before agent-7, whatever the arrival order.
        SchedulingPolicy byName = custom("BY_NAME", agent -> {
            long rank = Long.parseLong(agent.name().substring(agent.name().indexOf('-') + 1));
            return new AgentSchedule() {
                @Override
                public long rank() {
                    return rank;
                }

                @Override
                public long admit() {
                    return GO;
                }
            };
        });
        try (AgentRuntime rt = AgentRuntime.builder().workers(1).schedulingPolicy(byName).build()) {
            rt.start();
            List<String> log = new CopyOnWriteArrayList<>();
            int[] order = {7, 3, 9, 1, 5};
            List<AgentHandle<Num>> agents = new ArrayList<>();
            for (int n : order) {
                agents.add(rt.spawn("agent-" + n, recorder(AgentStyle.HANDLER, "a", log, () -> { })));
            }
            AtomicBoolean release = holdTheCarrier(rt);
            for (int i = 0; i < order.length; i++) {
                agents.get(i).ref().signal(new Num(order[i]));
            }
            release.set(true);
            Await.until(() -> log.size() == order.length);
            assertEquals(List.of("a1", "a3", "a5", "a7", "a9"), log);
        }
    }

    @Test
    void aCustomPolicyThatThrowsHarmsOnlyItsOwnAgent() throws Exception {
        SchedulingPolicy broken = custom("BROKEN", agent -> new AgentSchedule() {
            @Override
            public long rank() {
                throw new IllegalStateException("rank bug (expected by the test)");
            }

            @Override
            public long admit() {
                throw new IllegalStateException("admit bug (expected by the test)");
            }
        });
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {
            rt.start();
            List<String> log = new CopyOnWriteArrayList<>();
            AgentHandle<Num> victim = rt.spawn("victim", recorder(AgentStyle.HANDLER, "v", log, () -> { }),
                    SpawnOptions.DEFAULTS.withScheduling(broken));
            AgentHandle<Num> bystander = rt.spawn("bystander", recorder(AgentStyle.HANDLER, "b", log, () -> { }));
            victim.ref().signal(new Num(1)); // its run still happens (rank 0, logged); admit() then fails it
            AgentFailedException failed = assertThrows(AgentFailedException.class, () -> victim.join(WATCHDOG));
            assertInstanceOf(IllegalStateException.class, failed.getCause());
            assertEquals("admit bug (expected by the test)", failed.getCause().getMessage());
            DeadLetter dead = rt.deadLetters().recent().getFirst();
            assertEquals(new Num(1), dead.message().payload(), "the message it failed on is not lost");
            assertEquals(DeadLetter.Reason.AGENT_FAILED, dead.reason());
            bystander.ref().signal(new Num(2));
            Await.until(() -> log.contains("b2"));
        }
    }

    @Test
    void aPolicyThatMakesNoScheduleFailsTheSpawnClearly() {
        SchedulingPolicy none = custom("EMPTY", agent -> null);
        try (AgentRuntime rt = AgentRuntime.builder().workers(1).build()) {
            rt.start();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> rt.spawn("x",
                    recorder(AgentStyle.DIRECT, "x", new ArrayList<>(), () -> { }),
                    SpawnOptions.DEFAULTS.withScheduling(none)));
            assertEquals("scheduling policy EMPTY made no schedule for agent x", e.getMessage());
            assertEquals(0, rt.agentCount());
        }
    }
}
