package dev.myrmex.core;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.InMemoryJournal;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.metrics.HealthCheck;
import dev.myrmex.core.metrics.HealthReport;
import dev.myrmex.core.resilience.Backoff;
import dev.myrmex.core.supervision.RestartPolicy;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Non-blocking handlers that never return from a turn hold their carriers: as many of them as there are workers must
 * not stop the other agents (spare carriers take over), they are reported while stuck, and their restart policy takes
 * them as soon as their turn returns.
 */
class StuckHandlerTest {
    record Ping(int n) implements Val {
    }

    /** Generous for a loaded 2-core machine: the other agents must be served well within twice this. */
    static final Duration LIVENESS_TIMEOUT = Duration.ofSeconds(2);

    @Test
    void twoStuckHandlersOnTwoWorkersDoNotStopAHundredOthers() throws Exception {
        InMemoryJournal journal = new InMemoryJournal();
        AtomicBoolean release = new AtomicBoolean();
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).journal(journal)
                .healthInterval(Duration.ofMillis(20)).build()) {
            rt.start();
            CountDownLatch spinning = new CountDownLatch(2);
            List<AgentHandle<Ping>> stuck = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                stuck.add(rt.spawn("spinner-" + i, Behaviors.<Ping>nonBlocking((ctx, m) -> {
                    if (m.payload().n() == 1) {
                        spinning.countDown();
                        while (!release.get()) {
                            Thread.onSpinWait(); // holds its carrier: no park, no return
                        }
                    }
                }), SpawnOptions.DEFAULTS.withHealth(HealthCheck.liveness(LIVENESS_TIMEOUT))
                        .withSupervision(Supervision.of(RestartPolicy.ON_FAILURE).withBackoff(Backoff.fixed(
                                Duration.ZERO)))));
            }
            try {
                CountDownLatch served = new CountDownLatch(200);
                List<AgentRef<Ping>> others = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    others.add(rt.<Ping>spawn("other-" + i, Behaviors.nonBlocking((ctx, m) -> served.countDown()))
                            .ref());
                }
                for (AgentHandle<Ping> s : stuck) {
                    s.ref().signal(new Ping(1));
                }
                assertTrue(spinning.await(WATCHDOG.toSeconds(), TimeUnit.SECONDS), "both spinners hold a carrier");
                long held = System.nanoTime();
                for (AgentRef<Ping> o : others) {
                    o.signal(new Ping(2));
                }
                Await.until(() -> served.getCount() <= 100);
                long firstWave = System.nanoTime() - held;
                // Past the liveness timeout, still held: reported stuck, and the others are still served.
                Await.until(() -> rt.health().stuck() == 2);
                for (AgentRef<Ping> o : others) {
                    o.signal(new Ping(3));
                }
                assertTrue(served.await(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
                long bothWaves = System.nanoTime() - held;
                assertTrue(firstWave < 2 * LIVENESS_TIMEOUT.toNanos(),
                        "100 agents took " + Duration.ofNanos(firstWave) + " behind two stuck handlers");
                assertTrue(bothWaves < 2 * LIVENESS_TIMEOUT.toNanos() + LIVENESS_TIMEOUT.toNanos(),
                        "the second wave waited: " + Duration.ofNanos(bothWaves));

                HealthReport report = rt.health();
                assertEquals(HealthReport.Status.DEGRADED, report.status());
                assertEquals(2, rt.metrics().livenessFailures());
                assertTrue(rt.scheduler().stats().sparesStarted() >= 1, rt.scheduler().stats().toString());
                Await.until(() -> journal.query(EventFilter.ALL.types(EventType.AGENT_STUCK), 10).size() == 2);
                JournalEvent event = journal.query(EventFilter.ALL.types(EventType.AGENT_STUCK), 10).getFirst();
                assertTrue(event.agent().startsWith("spinner-"), event.toString());
                for (AgentHandle<Ping> s : stuck) {
                    assertEquals(AgentState.RUNNING, s.state(), "still in its turn: reported, not yet ended");
                    assertEquals(0, s.metrics().restarts());
                }
            } finally {
                release.set(true);
            }
            // The turns return: each is failed as stuck and restarted by its policy, and serves again.
            for (AgentHandle<Ping> s : stuck) {
                Await.until(() -> s.metrics().restarts() == 1);
                s.ref().signal(new Ping(4));
                Await.until(() -> s.metrics().received() >= 1 && s.state() == AgentState.RUNNING);
            }
            Await.until(() -> journal.query(EventFilter.ALL.types(EventType.AGENT_RESTARTED), 10).size() == 2);
            for (JournalEvent restart : journal.query(EventFilter.ALL.types(EventType.AGENT_RESTARTED), 10)) {
                assertTrue(restart.details().contains(AgentStuckException.class.getName()), restart.details());
            }
            Await.until(() -> rt.health().status() == HealthReport.Status.UP);
            Await.until(() -> rt.scheduler().stats().sparesRunning() == 0);
        }
    }

    @Test
    void aStuckHandlerWithoutARestartPolicyFailsWhenItsTurnReturns() throws Exception {
        AtomicBoolean release = new AtomicBoolean();
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).healthInterval(Duration.ofMillis(20)).build()) {
            rt.start();
            AgentHandle<Ping> spinner = rt.spawn("spinner", Behaviors.<Ping>nonBlocking((ctx, m) -> {
                while (!release.get()) {
                    Thread.onSpinWait();
                }
            }), SpawnOptions.DEFAULTS.withHealth(HealthCheck.liveness(Duration.ofMillis(300))));
            spinner.ref().signal(new Ping(1));
            try {
                Await.until(() -> rt.health().stuck() == 1);
            } finally {
                release.set(true);
            }
            AgentFailedException e = org.junit.jupiter.api.Assertions.assertThrows(AgentFailedException.class,
                    () -> spinner.join(WATCHDOG));
            assertInstanceOf(AgentStuckException.class, e.getCause());
        }
    }
}
