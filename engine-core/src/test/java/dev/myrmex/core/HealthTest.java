package dev.myrmex.core;

import static dev.myrmex.core.AgentRuntimeTest.WATCHDOG;
import static dev.myrmex.core.AgentRuntimeTest.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Liveness (stuck agents found and handed to their restart policy), readiness probes, the runtime's health. */
class HealthTest {
    record Ping(int n) implements Val {
    }

    static final HealthCheck LIVENESS = HealthCheck.liveness(Duration.ofMillis(200));

    private final AgentRuntime rt = AgentRuntime.builder().workers(2).healthInterval(Duration.ofMillis(20)).build();

    @AfterEach
    void tearDown() throws InterruptedException {
        rt.stop(false, WATCHDOG);
    }

    @Test
    void aStuckAgentIsInterruptedAndRestartedByItsPolicyWhileIdleOnesAreLeftAlone() throws Exception {
        rt.start();
        List<DeadLetter> dead = new CopyOnWriteArrayList<>();
        rt.deadLetters().subscribe(dead::add);
        AgentHandle<Ping> idleDirect = rt.spawn("idle-direct", ctx -> {
            while (true) {
                ctx.receive();
            }
        }, SpawnOptions.DEFAULTS.withHealth(LIVENESS));
        AgentHandle<Ping> idleHandler = rt.spawn("idle-handler", Behaviors.nonBlocking((ctx, m) -> { }),
                SpawnOptions.DEFAULTS.withHealth(LIVENESS));
        AgentHandle<Ping> sleeper = rt.spawn("sleeper", ctx -> {
            while (true) {
                if (ctx.receive().payload().n() == 1) {
                    Thread.sleep(Long.MAX_VALUE); // stuck: never takes another message
                }
            }
        }, SpawnOptions.DEFAULTS.withHealth(LIVENESS).withSupervision(Supervision.of(RestartPolicy.ON_FAILURE)
                .withBackoff(Backoff.fixed(Duration.ZERO))));
        idleHandler.ref().signal(new Ping(0));
        sleeper.ref().signal(new Ping(1));
        awaitUntil(() -> sleeper.metrics().restarts() == 1);
        sleeper.ref().signal(new Ping(2));
        awaitUntil(() -> sleeper.metrics().received() >= 2);
        assertEquals(AgentState.RUNNING, sleeper.state());
        assertEquals(1, rt.metrics().livenessFailures(), "only the sleeper was stuck");
        assertEquals(1, dead.size());
        assertEquals(new Ping(1), dead.getFirst().message().payload());
        AgentStuckException cause = assertInstanceOf(AgentStuckException.class, dead.getFirst().cause());
        assertInstanceOf(InterruptedException.class, cause.getSuppressed()[0], "the interrupt that unwound it");
        assertEquals(AgentState.RUNNING, idleDirect.state());
        assertEquals(AgentState.RUNNING, idleHandler.state());
    }

    @Test
    void anAgentThatIgnoresTheInterruptIsReportedStuckAndFailsAtItsNextBlockingCall() throws Exception {
        rt.start();
        AtomicBoolean release = new AtomicBoolean();
        AgentHandle<Ping> spinner = rt.spawn("spinner", ctx -> {
            while (true) {
                ctx.receive();
                while (!release.get()) {
                    Thread.onSpinWait(); // deaf to interrupts: nothing in a JVM can stop it
                }
            }
        }, SpawnOptions.DEFAULTS.withHealth(LIVENESS));
        assertEquals(HealthReport.Status.UP, rt.health().status());
        spinner.ref().signal(new Ping(1));
        awaitUntil(() -> rt.health().stuck() == 1);
        HealthReport report = rt.health();
        assertEquals(HealthReport.Status.DEGRADED, report.status());
        HealthReport.AgentHealth problem = report.problems().getFirst();
        assertEquals("spinner", problem.agent());
        assertFalse(problem.live());
        assertTrue(problem.detail().contains("no heartbeat"), problem.detail());
        assertEquals(AgentState.RUNNING, spinner.state(), "still spinning: reported, not yet ended");
        release.set(true); // its next receive meets the pending interrupt; no restart policy, so it fails
        AgentFailedException e = assertThrows(AgentFailedException.class, () -> spinner.join(WATCHDOG));
        assertInstanceOf(AgentStuckException.class, e.getCause());
        awaitUntil(() -> rt.health().status() == HealthReport.Status.UP);
    }

    @Test
    void readinessProbesAreSummarised() throws Exception {
        rt.start();
        AtomicBoolean loaded = new AtomicBoolean();
        rt.spawn("loader", Behaviors.nonBlocking((ctx, m) -> { }),
                SpawnOptions.DEFAULTS.withHealth(HealthCheck.readiness(loaded::get)));
        rt.spawn("broken-probe", Behaviors.nonBlocking((ctx, m) -> { }),
                SpawnOptions.DEFAULTS.withHealth(HealthCheck.readiness(() -> {
                    throw new IllegalStateException("probe broke");
                })));
        awaitUntil(() -> rt.health().notReady() == 2);
        loaded.set(true);
        awaitUntil(() -> rt.health().notReady() == 1);
        HealthReport report = rt.health();
        assertEquals(HealthReport.Status.DEGRADED, report.status());
        assertEquals(2, report.checked());
        assertTrue(report.problems().getFirst().detail().contains("probe broke"));
        rt.stop(true, WATCHDOG);
        assertEquals(HealthReport.Status.DOWN, rt.health().status());
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> HealthCheck.liveness(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> AgentRuntime.builder().healthInterval(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> HealthCheck.readiness(null));
    }
}
