package dev.myrmex.core;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.resilience.Backoff;
import dev.myrmex.core.supervision.RestartPolicy;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.core.supervision.SupervisionStrategy;
import dev.myrmex.core.supervision.Supervisor;
import dev.myrmex.core.supervision.SupervisorSpec;
import dev.myrmex.core.testing.RuntimeExtension;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Restart policies, limits, backoff, the three strategies, trees and escalation, lifecycle hooks. */
class SupervisionTest {
    /** {@code op} "boom" makes the agent throw; anything else is recorded as "name:op:count". */
    record Cmd(String op) implements Val {
    }

    static final Cmd BOOM = new Cmd("boom");
    static final Backoff NO_WAIT = Backoff.fixed(Duration.ZERO);

    @RegisterExtension
    final RuntimeExtension runtimes = new RuntimeExtension();
    private final AgentRuntime rt = runtimes.track(AgentRuntime.builder().workers(2).randomSeed(7).build());
    /** What the agents did, in order, as "name:op:count-in-this-incarnation". */
    private final List<String> log = new CopyOnWriteArrayList<>();

    /** A handler agent whose count starts over on each incarnation; it throws on BOOM. */
    private Behavior<Cmd> recorder(String name, boolean nonBlocking) {
        return Behaviors.setup(() -> {
            int[] count = {0};
            MessageHandler<Cmd> h = (ctx, m) -> {
                if (m.payload().equals(BOOM)) {
                    throw new IllegalStateException(name + " blew up");
                }
                log.add(name + ":" + m.payload().op() + ":" + ++count[0]);
            };
            return nonBlocking ? Behaviors.nonBlocking(h) : Behaviors.receive(h);
        });
    }

    /** The same as a direct-style behavior: {@code run} starts over, and so does its local count. */
    private Behavior<Cmd> directRecorder(String name) {
        return ctx -> {
            int count = 0;
            while (true) {
                Message<Cmd> m = ctx.receive();
                if (m.payload().equals(BOOM)) {
                    throw new IllegalStateException(name + " blew up");
                }
                log.add(name + ":" + m.payload().op() + ":" + ++count);
            }
        };
    }

    private static Supervision onFailure(int maxRestarts) {
        return Supervision.of(RestartPolicy.ON_FAILURE).withMaxRestarts(maxRestarts, Duration.ofMinutes(1))
                .withBackoff(NO_WAIT);
    }

    private void awaitLog(String... entries) {
        Await.until(() -> log.containsAll(List.of(entries)));
    }

    @ParameterizedTest(name = "style={0}")
    @ValueSource(strings = {"nonBlocking", "blocking", "direct"})
    void aRestartKeepsTheRefAndMailboxAndDeadLettersTheFailedMessageWithItsCause(String style) throws Exception {
        rt.start();
        Behavior<Cmd> b = style.equals("direct") ? directRecorder("a") : recorder("a", style.equals("nonBlocking"));
        List<DeadLetter> dead = new CopyOnWriteArrayList<>();
        rt.deadLetters().subscribe(dead::add);
        AgentHandle<Cmd> h = rt.spawn("a", b, SpawnOptions.DEFAULTS.withSupervision(onFailure(3)));
        AgentRef<Cmd> ref = h.ref();
        ref.signal(new Cmd("x"));
        ref.signal(BOOM);
        ref.signal(new Cmd("y")); // queued behind the failure: the restarted agent takes it
        awaitLog("a:x:1", "a:y:1");
        assertEquals(AgentState.RUNNING, h.state());
        assertEquals(1, h.metrics().restarts());
        assertSame(ref, rt.lookup("a").orElseThrow().ref(), "same agent, same address");
        assertEquals(1, dead.size());
        DeadLetter d = dead.getFirst();
        assertEquals(DeadLetter.Reason.AGENT_FAILED, d.reason());
        assertEquals(BOOM, d.message().payload());
        assertInstanceOf(IllegalStateException.class, d.cause());
        assertEquals(ref, d.recipient());
        assertEquals(1, rt.metrics().restarts());
    }

    @Test
    void aRestartIsAJfrEvent() throws Exception {
        List<jdk.jfr.consumer.RecordedEvent> events = new CopyOnWriteArrayList<>();
        try (jdk.jfr.consumer.RecordingStream stream = new jdk.jfr.consumer.RecordingStream()) {
            stream.enable("dev.myrmex.AgentRestart").withoutThreshold();
            stream.onEvent("dev.myrmex.AgentRestart", events::add);
            stream.startAsync();
            rt.start();
            AgentHandle<Cmd> h = rt.spawn("phoenix", directRecorder("phoenix"),
                    SpawnOptions.DEFAULTS.withSupervision(onFailure(3)));
            h.ref().signal(BOOM);
            Await.until(() -> !events.isEmpty());
        }
        jdk.jfr.consumer.RecordedEvent e = events.getFirst();
        assertEquals("phoenix", e.getString("agent"));
        assertEquals(1, e.getInt("restarts"));
        assertTrue(e.getString("cause").contains("phoenix blew up"), e.getString("cause"));
    }

    @Test
    void onFailureDoesNotRestartANormalEndButAlwaysDoes() throws Exception {
        rt.start();
        AtomicInteger runs = new AtomicInteger();
        Behavior<Cmd> returnsAtOnce = ctx -> runs.incrementAndGet();
        AgentHandle<Cmd> transientAgent = rt.spawn("transient", returnsAtOnce,
                SpawnOptions.DEFAULTS.withSupervision(onFailure(5)));
        assertNull(transientAgent.join(WATCHDOG));
        assertEquals(AgentState.STOPPED, transientAgent.state());
        assertEquals(1, runs.get());

        AtomicInteger permanentRuns = new AtomicInteger();
        AgentHandle<Cmd> permanent = rt.spawn("permanent", ctx -> {
            if (permanentRuns.incrementAndGet() < 3) {
                return; // a normal end: ALWAYS runs it again
            }
            ctx.receive();
        }, SpawnOptions.DEFAULTS.withSupervision(Supervision.of(RestartPolicy.ALWAYS)
                .withMaxRestarts(5, Duration.ofMinutes(1)).withBackoff(NO_WAIT)));
        Await.until(() -> permanentRuns.get() == 3);
        assertEquals(2, permanent.metrics().restarts());
    }

    @Test
    void beyondMaxRestartsTheAgentFailsAndTheFailureEscalatesToTheRuntime() throws Exception {
        rt.start();
        AgentHandle<Cmd> h = rt.spawn("fragile", recorder("fragile", true),
                SpawnOptions.DEFAULTS.withSupervision(onFailure(2)));
        for (int i = 1; i <= 2; i++) {
            h.ref().signal(BOOM);
            int restarts = i;
            Await.until(() -> h.metrics().restarts() == restarts);
        }
        h.ref().signal(BOOM);
        AgentFailedException e = assertThrows(AgentFailedException.class, () -> h.join(WATCHDOG));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals(AgentState.FAILED, h.state());
        assertEquals(2, h.metrics().restarts());
        Await.until(() -> rt.metrics().escalations() == 1);
        assertTrue(rt.lookup("fragile").isEmpty());
    }

    @Test
    void theBackoffDelaysTheRestart() throws Exception {
        rt.start();
        Duration backoff = Duration.ofMillis(300);
        AgentHandle<Cmd> h = rt.spawn("slow", recorder("slow", true), SpawnOptions.DEFAULTS.withSupervision(
                Supervision.of(RestartPolicy.ON_FAILURE).withBackoff(Backoff.fixed(backoff))));
        long sent = System.nanoTime();
        h.ref().signal(BOOM);
        h.ref().signal(new Cmd("after"));
        awaitLog("slow:after:1");
        assertTrue(System.nanoTime() - sent >= backoff.toNanos(), "restarted before the backoff had passed");
    }

    @Test
    void oneForOneRestartsOnlyTheFailedChild() throws Exception {
        rt.start();
        Supervisor sup = rt.supervise("sup", SupervisorSpec.builder(SupervisionStrategy.ONE_FOR_ONE)
                .agent("a", recorder("a", true), onFailure(3))
                .agent("b", recorder("b", true), onFailure(3))
                .build());
        AgentRef<Cmd> a = sup.<Cmd>agent("a").orElseThrow().ref();
        AgentRef<Cmd> b = sup.<Cmd>agent("b").orElseThrow().ref();
        a.signal(new Cmd("1"));
        b.signal(new Cmd("1"));
        a.signal(BOOM);
        a.signal(new Cmd("2"));
        b.signal(new Cmd("2"));
        awaitLog("a:1:1", "a:2:1", "b:1:1", "b:2:2");
        assertEquals(1, sup.agent("a").orElseThrow().metrics().restarts());
        assertEquals(0, sup.agent("b").orElseThrow().metrics().restarts());
    }

    @ParameterizedTest
    @EnumSource(value = SupervisionStrategy.class, names = {"ALL_FOR_ONE", "REST_FOR_ONE"})
    void groupStrategiesRestartTheSiblingsTheyCover(SupervisionStrategy strategy) throws Exception {
        rt.start();
        Supervisor sup = rt.supervise("sup", SupervisorSpec.builder(strategy)
                .agent("a", recorder("a", true), onFailure(3))
                .agent("b", directRecorder("b"), onFailure(3))
                .agent("c", recorder("c", false), onFailure(3))
                .build());
        Map<String, AgentRef<Cmd>> refs = new ConcurrentHashMap<>();
        for (String n : List.of("a", "b", "c")) {
            refs.put(n, sup.<Cmd>agent(n).orElseThrow().ref());
            refs.get(n).signal(new Cmd("1"));
        }
        awaitLog("a:1:1", "b:1:1", "c:1:1");
        refs.get("b").signal(BOOM);
        Await.until(() -> sup.agent("c").orElseThrow().metrics().restarts() == 1);
        for (String n : List.of("a", "b", "c")) {
            refs.get(n).signal(new Cmd("2"));
        }
        boolean all = strategy == SupervisionStrategy.ALL_FOR_ONE;
        awaitLog(all ? "a:2:1" : "a:2:2", "b:2:1", "c:2:1"); // a restarted one counts from 1 again
        assertEquals(all ? 1 : 0, sup.agent("a").orElseThrow().metrics().restarts());
        assertEquals(1, sup.agent("b").orElseThrow().metrics().restarts());
        for (String n : List.of("a", "b", "c")) {
            assertSame(refs.get(n), sup.<Cmd>agent(n).orElseThrow().ref(), n + " keeps its address");
        }
    }

    /**
     * OTP's rule for one_for_all and rest_for_one: the siblings a restart covers go down with the failed child; ALWAYS
     * and ON_FAILURE ones come back with it, a NEVER (temporary) one is stopped for good.
     */
    @ParameterizedTest
    @EnumSource(value = SupervisionStrategy.class, names = {"ALL_FOR_ONE", "REST_FOR_ONE"})
    void aTemporarySiblingIsStoppedWithItsGroupAndNotRestarted(SupervisionStrategy strategy) throws Exception {
        rt.start();
        Supervisor sup = rt.supervise("sup", SupervisorSpec.builder(strategy)
                .agent("first", directRecorder("first"), onFailure(3))
                .agent("failing", directRecorder("failing"), policy(RestartPolicy.ALWAYS))
                .agent("temporary", directRecorder("temporary"), policy(RestartPolicy.NEVER))
                .agent("transient", directRecorder("transient"), onFailure(3))
                .build());
        List<String> names = List.of("first", "failing", "temporary", "transient");
        Map<String, AgentHandle<Cmd>> h = new ConcurrentHashMap<>();
        for (String n : names) {
            h.put(n, sup.<Cmd>agent(n).orElseThrow());
            h.get(n).ref().signal(new Cmd("1"));
        }
        awaitLog("first:1:1", "failing:1:1", "temporary:1:1", "transient:1:1");

        h.get("failing").ref().signal(BOOM);
        AgentHandle<Cmd> temporary = h.get("temporary");
        temporary.join(WATCHDOG); // before OTP's rule it kept running, and this wait failed
        assertEquals(AgentState.STOPPED, temporary.state(), "stopped with its group, not failed");
        assertEquals(0, temporary.metrics().restarts());
        assertTrue(sup.agent("temporary").isEmpty(), "not restarted");
        assertFalse(temporary.ref().signal(new Cmd("2")), "mail to it is a dead letter now");

        Await.until(() -> h.get("transient").metrics().restarts() == 1 && h.get("failing").metrics().restarts() == 1);
        for (String n : List.of("first", "failing", "transient")) {
            h.get(n).ref().signal(new Cmd("2"));
        }
        boolean all = strategy == SupervisionStrategy.ALL_FOR_ONE;
        awaitLog(all ? "first:2:1" : "first:2:2", "failing:2:1", "transient:2:1");
        assertEquals(all ? 1 : 0, h.get("first").metrics().restarts(), "an earlier sibling: ALL_FOR_ONE only");
        assertEquals(AgentState.RUNNING, sup.state());
        assertFalse(log.contains("temporary:2:1"));
    }

    private static Supervision policy(RestartPolicy p) {
        return Supervision.of(p).withMaxRestarts(3, Duration.ofMinutes(1)).withBackoff(NO_WAIT);
    }

    @Test
    void aChildBeyondItsLimitEscalatesAndTheParentRestartsItsSupervisor() throws Exception {
        rt.start();
        SupervisorSpec workers = SupervisorSpec.builder(SupervisionStrategy.ONE_FOR_ONE)
                .agent("w1", recorder("w1", true), onFailure(0))
                .agent("w2", recorder("w2", true), onFailure(0))
                .build();
        Supervisor root = rt.supervise("root", SupervisorSpec.builder(SupervisionStrategy.ONE_FOR_ONE)
                .agent("steady", recorder("steady", true), onFailure(0))
                .supervisor("workers", workers, onFailure(1))
                .build());
        Supervisor sub = root.supervisor("workers").orElseThrow();
        AgentHandle<Cmd> w1 = sub.<Cmd>agent("w1").orElseThrow();
        AgentHandle<Cmd> w2 = sub.<Cmd>agent("w2").orElseThrow();
        AgentHandle<Cmd> steady = root.<Cmd>agent("steady").orElseThrow();

        w1.ref().signal(BOOM); // w1 may not restart: it fails, and "workers" escalates to root, which restarts it
        assertThrows(AgentFailedException.class, () -> w1.join(WATCHDOG));
        Await.until(() -> sub.restarts() == 1 && sub.state() == AgentState.RUNNING
                && sub.agent("w1").isPresent());
        AgentHandle<Cmd> w1again = sub.<Cmd>agent("w1").orElseThrow();
        assertNotSame(w1, w1again, "an agent that FAILED comes back as a new agent under its name");
        assertSame(w2, sub.agent("w2").orElseThrow(), "a sibling that was only halted is restarted in place");
        assertEquals(1, w2.metrics().restarts());
        w1again.ref().signal(new Cmd("back"));
        awaitLog("w1:back:1");

        w1again.ref().signal(BOOM); // again: "workers" may restart once per minute only, so root fails too
        AgentFailedException rootFailure = assertThrows(AgentFailedException.class, () -> root.join(WATCHDOG));
        assertTrue(rootFailure.getMessage().contains("workers"), rootFailure.getMessage());
        assertEquals(AgentState.FAILED, root.state());
        assertEquals(AgentState.FAILED, sub.state());
        steady.join(WATCHDOG);
        assertEquals(AgentState.STOPPED, steady.state(), "the root's other child was stopped, not failed");
        assertEquals(1, rt.metrics().escalations());
        assertEquals(0, rt.agentCount());
    }

    @Test
    void stoppingASupervisorStopsItsTreeAndIdleChildren() throws Exception {
        rt.start();
        Supervisor root = rt.supervise("root", SupervisorSpec.builder(SupervisionStrategy.ONE_FOR_ONE)
                .agent("a", recorder("a", true), Supervision.of(RestartPolicy.ON_FAILURE)
                        .withBackoff(Backoff.fixed(Duration.ofHours(1)))) // fails, then waits idle
                .supervisor("sub", SupervisorSpec.builder(SupervisionStrategy.ALL_FOR_ONE)
                        .agent("b", directRecorder("b"), onFailure(3)).build(), onFailure(3))
                .build());
        AgentHandle<Cmd> a = root.<Cmd>agent("a").orElseThrow();
        a.ref().signal(BOOM);
        Await.until(() -> a.state() == AgentState.RESTARTING);
        root.stop();
        root.join(WATCHDOG);
        assertEquals(AgentState.STOPPED, root.state());
        assertEquals(AgentState.STOPPED, a.state());
        assertEquals(0, rt.agentCount());
        assertThrows(IllegalStateException.class, root::stop);
    }

    @Test
    void hooksRunAtEachLifecyclePointAndAThrowingHookHarmsNothing() throws Exception {
        rt.start();
        List<String> calls = new CopyOnWriteArrayList<>();
        LifecycleHooks hooks = new LifecycleHooks() {
            @Override
            public void onStart(AgentHandle<?> agent) {
                calls.add("start " + agent.name());
                throw new IllegalStateException("a broken start hook");
            }

            @Override
            public void onError(AgentHandle<?> agent, Throwable cause) {
                calls.add("error " + cause.getMessage());
            }

            @Override
            public void onRestart(AgentHandle<?> agent, int restarts, Throwable cause) {
                calls.add("restart " + restarts + " " + cause.getMessage());
                throw new IllegalStateException("a broken restart hook");
            }

            @Override
            public void onStop(AgentHandle<?> agent, Throwable cause) {
                calls.add("stop " + cause);
            }
        };
        AgentHandle<Cmd> h = rt.spawn("hooked", recorder("hooked", true),
                SpawnOptions.DEFAULTS.withSupervision(onFailure(3)).withHooks(hooks));
        AgentHandle<Cmd> other = rt.spawn("other", recorder("other", true));
        Await.until(() -> calls.contains("start hooked"));
        h.ref().signal(BOOM);
        h.ref().signal(new Cmd("fine"));
        other.ref().signal(new Cmd("fine"));
        awaitLog("hooked:fine:1", "other:fine:1");
        h.stop();
        h.join(WATCHDOG);
        assertEquals(List.of("start hooked", "error hooked blew up", "restart 1 hooked blew up", "stop null"), calls);
        assertEquals(2, rt.metrics().hookFailures());
        assertEquals(AgentState.RUNNING, other.state());
    }

    @Test
    void specsAndSupervisionRejectBadInput() {
        assertThrows(IllegalArgumentException.class,
                () -> SupervisorSpec.builder(SupervisionStrategy.ONE_FOR_ONE).build());
        SupervisorSpec.Builder b = SupervisorSpec.builder(SupervisionStrategy.ONE_FOR_ONE)
                .agent("a", recorder("a", true), onFailure(1));
        assertThrows(IllegalArgumentException.class, () -> b.agent("a", recorder("a", true), onFailure(1)));
        assertThrows(IllegalArgumentException.class, () -> b.agent(" ", recorder("a", true), onFailure(1)));
        assertThrows(IllegalArgumentException.class, () -> onFailure(-1));
        assertThrows(IllegalArgumentException.class,
                () -> Supervision.of(RestartPolicy.ALWAYS).withMaxRestarts(1, Duration.ZERO));
        assertThrows(IllegalStateException.class, () -> rt.supervise("early", b.build()));
    }

    @Test
    void aTreeWhoseAgentNameIsTakenDoesNotStartAndLeavesNothingRunning() throws Exception {
        rt.start();
        rt.spawn("taken", recorder("taken", true));
        SupervisorSpec spec = SupervisorSpec.builder(SupervisionStrategy.ONE_FOR_ONE)
                .agent("first", recorder("first", true), onFailure(1))
                .agent("taken", recorder("taken", true), onFailure(1))
                .build();
        assertThrows(AgentNameTakenException.class, () -> rt.supervise("sup", spec));
        Await.until(() -> rt.agentCount() == 1);
        assertFalse(rt.lookup("first").isPresent());
    }
}
