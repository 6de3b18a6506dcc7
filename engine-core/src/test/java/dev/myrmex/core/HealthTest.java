package dev.myrmex.core;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.metrics.HealthCheck;
import dev.myrmex.core.metrics.HealthReport;
import dev.myrmex.core.resilience.Backoff;
import dev.myrmex.core.supervision.RestartPolicy;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.core.testing.RuntimeExtension;
import dev.myrmex.core.time.RuntimeClock;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Liveness (stuck agents found and handed to their restart policy), readiness probes, the runtime's health. Liveness
 * runs on a manual clock that the tests move only once the agent under test is known to be stuck: on a loaded machine
 * no healthy agent can look stuck, whatever the real time between two of its steps.
 */
class HealthTest {
    record Ping(int n) implements Val {
    }

    static final Duration TIMEOUT = Duration.ofMillis(200);
    static final HealthCheck LIVENESS = HealthCheck.liveness(TIMEOUT);

    private final RuntimeClock.Manual clock = RuntimeClock.manual();
    @RegisterExtension
    final RuntimeExtension runtimes = new RuntimeExtension();
    private final AgentRuntime rt = runtimes.track(AgentRuntime.builder().workers(2).clock(clock)
            .healthInterval(Duration.ofMillis(20)).build());

    /**
     * Moves the clock past the liveness timeout, again and again, until the monitor has found someone stuck; then
     * never again, so that nothing else can be found stuck. Call once {@code stuck} is known to be in its stuck step.
     */
    private void passTimeUntilFoundStuck() {
        Await.until(() -> {
            if (rt.metrics().livenessFailures() > 0) {
                return true;
            }
            clock.advance(TIMEOUT.multipliedBy(2)); // the monitor may not yet have seen the step: keep moving
            Thread.yield();
            return false;
        });
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
        java.util.concurrent.CountDownLatch sleeping = new java.util.concurrent.CountDownLatch(1);
        AgentHandle<Ping> sleeper = rt.spawn("sleeper", ctx -> {
            while (true) {
                if (ctx.receive().payload().n() == 1) {
                    sleeping.countDown();
                    Thread.sleep(Long.MAX_VALUE); // stuck: never takes another message
                }
            }
        }, SpawnOptions.DEFAULTS.withHealth(LIVENESS).withSupervision(Supervision.of(RestartPolicy.ON_FAILURE)
                .withBackoff(Backoff.fixed(Duration.ZERO))));
        idleHandler.ref().signal(new Ping(0));
        sleeper.ref().signal(new Ping(1));
        sleeping.await();
        passTimeUntilFoundStuck();
        Await.until(() -> sleeper.metrics().restarts() == 1);
        sleeper.ref().signal(new Ping(2));
        Await.until(() -> sleeper.metrics().received() >= 2);
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
        java.util.concurrent.CountDownLatch spinning = new java.util.concurrent.CountDownLatch(1);
        AgentHandle<Ping> spinner = rt.spawn("spinner", ctx -> {
            while (true) {
                ctx.receive();
                spinning.countDown();
                while (!release.get()) {
                    Thread.onSpinWait(); // deaf to interrupts: nothing in a JVM can stop it
                }
            }
        }, SpawnOptions.DEFAULTS.withHealth(LIVENESS));
        assertEquals(HealthReport.Status.UP, rt.health().status());
        spinner.ref().signal(new Ping(1));
        spinning.await();
        passTimeUntilFoundStuck();
        Await.until(() -> rt.health().stuck() == 1);
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
        Await.until(() -> rt.health().status() == HealthReport.Status.UP);
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
        Await.until(() -> rt.health().notReady() == 2);
        loaded.set(true);
        Await.until(() -> rt.health().notReady() == 1);
        HealthReport report = rt.health();
        assertEquals(HealthReport.Status.DEGRADED, report.status());
        assertEquals(2, report.checked());
        assertTrue(report.problems().getFirst().detail().contains("probe broke"));
        rt.stop(WATCHDOG);
        assertEquals(HealthReport.Status.DOWN, rt.health().status());
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> HealthCheck.liveness(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> AgentRuntime.builder().healthInterval(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> HealthCheck.readiness(null));
    }
}
