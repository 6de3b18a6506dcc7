package dev.myrmex.core;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.metrics.AgentMetrics;
import dev.myrmex.core.metrics.PrometheusMetrics;
import dev.myrmex.core.metrics.RuntimeMetrics;
import dev.myrmex.core.resilience.Backoff;
import dev.myrmex.core.supervision.RestartPolicy;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.core.testing.RuntimeExtension;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-agent and runtime-wide metrics, and their Prometheus exposition and endpoint. */
class MetricsTest {
    record Work(int spins) implements Val {
    }

    /** One sample line of the text format: name, optional labels, value. */
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\""
                    + "(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\")*})? "
                    + "(-?[0-9.]+(?:[eE][+-]?[0-9]+)?|NaN|[+-]Inf)");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) "
            + "(counter|gauge|summary|histogram|untyped)");

    @RegisterExtension
    final RuntimeExtension runtimes = new RuntimeExtension();
    private final AgentRuntime rt = runtimes.track(AgentRuntime.builder().workers(2).build());

    private static Behavior<Work> worker(AtomicLong sink) {
        return Behaviors.nonBlocking((ctx, m) -> {
            long x = 0;
            for (int i = 0; i < m.payload().spins(); i++) {
                x += i * 31L ^ x;
            }
            sink.addAndGet(x);
        });
    }

    @Test
    void anAgentsMetricsShowItsProcessingTimeRateAndUtilization() throws Exception {
        rt.start();
        AtomicLong sink = new AtomicLong();
        AgentHandle<Work> h = rt.spawn("worker", worker(sink));
        int n = 3_200;
        for (int i = 0; i < n; i++) {
            h.ref().signal(new Work(2_000));
        }
        Await.until(() -> h.metrics().received() == n);
        AgentMetrics m = h.metrics();
        assertEquals(AgentState.RUNNING, m.state());
        assertEquals(0, m.mailboxDepth());
        assertEquals(0, m.restarts());
        assertTrue(m.processingNanosEma() > 0, "no processing time: " + m);
        assertTrue(m.messagesPerSecond() > 0, "no rate: " + m);
        assertTrue(m.utilization() > 0 && m.utilization() <= 1, "utilization out of (0, 1]: " + m);
    }

    @Test
    void utilizationIsBusyTimeBlockingIncludedNotCpuTime() throws Exception {
        rt.start();
        int n = 100;
        AgentHandle<Work> h = rt.spawn("waiting-on-io", Behaviors.receive((ctx, m) -> {
            Thread.sleep(2); // stands for blocking I/O: no CPU, but the agent is busy with the message
        }));
        for (int i = 0; i < n; i++) {
            h.ref().signal(new Work(0)); // all queued: it takes them back to back
        }
        Await.until(() -> h.metrics().received() == n);
        AgentMetrics m = h.metrics();
        assertTrue(m.processingNanosEma() >= 2_000_000, "a message takes at least its 2 ms block: " + m);
        assertTrue(m.utilization() > 0.5, "busy nearly all the time, though it used next to no CPU: " + m);
    }

    @Test
    void theRuntimeSnapshotAddsUp() throws Exception {
        rt.start();
        AtomicLong sink = new AtomicLong();
        CountDownLatch release = new CountDownLatch(1);
        AgentHandle<Work> busy = rt.spawn("busy", worker(sink));
        AgentHandle<Work> held = rt.spawn("held", ctx -> {
            release.await();
            while (true) {
                ctx.receive();
            }
        });
        for (int i = 0; i < 1_000; i++) {
            rt.spawn("short-lived-" + i, worker(sink)).stop(); // spawn latency samples, and ended agents
        }
        for (int i = 0; i < 500; i++) {
            busy.ref().signal(new Work(10));
            held.ref().signal(new Work(10));
        }
        Await.until(() -> busy.metrics().received() == 500 && rt.agentCount() == 2);
        busy.stop();
        busy.join(WATCHDOG);
        held.ref().signal(new Work(1)); // it is still RUNNING, blocked before its first receive

        RuntimeMetrics m = rt.metrics();
        assertEquals(1, m.agents());
        assertEquals(1, m.agentsByState().get(AgentState.RUNNING));
        assertEquals(0, m.agentsByState().get(AgentState.FAILED));
        assertEquals(500, m.messagesReceived(), "the ended agent's messages still count");
        assertEquals(1_001, m.messagesSent(), "taken, plus waiting in held's mailbox");
        assertTrue(m.mailboxLatency().count() > 0);
        assertTrue(m.mailboxLatency().p99Nanos() >= m.mailboxLatency().p50Nanos());
        assertTrue(m.spawnLatency().count() > 0, "1,000 spawns, one in 16 sampled, none timed");
        assertTrue(m.uptime().compareTo(Duration.ZERO) > 0);
        assertEquals(2, m.scheduler().workers());
        release.countDown();
    }

    @Test
    void aMessageAnAgentFailedOnIsSentOnceNotTwice() throws Exception {
        rt.start();
        Supervision restart = Supervision.of(RestartPolicy.ALWAYS).withMaxRestarts(1_000, Duration.ofHours(1))
                .withBackoff(Backoff.fixed(Duration.ZERO));
        AgentHandle<Work> h = rt.spawn("picky", Behaviors.nonBlocking((ctx, m) -> {
            if (m.payload().spins() % 100 == 0) {
                throw new IllegalArgumentException("refused " + m.payload().spins()); // taken, then failed on
            }
        }), SpawnOptions.DEFAULTS.withSupervision(restart));
        AgentHandle<Work> late = rt.spawn("late", ctx -> {
            Message<Work> m = ctx.receive();
            ctx.receive(); // the second message says the ask has timed out: reply only then, too late
            ctx.reply(m, new Work(0));
        });
        for (int i = 1; i <= 1_000; i++) {
            h.ref().signal(new Work(i));
        }
        var ask = late.ref().ask(new Work(1), Work.class, Duration.ofMillis(1));
        assertThrows(java.util.concurrent.ExecutionException.class, () -> ask.get(WATCHDOG.toSeconds(),
                java.util.concurrent.TimeUnit.SECONDS));
        late.ref().signal(new Work(2));
        Await.until(() -> h.metrics().received() == 1_000 && h.metrics().restarts() == 10
                && rt.deadLetters().count(DeadLetter.Reason.LATE_REPLY) == 1);
        RuntimeMetrics m = rt.metrics();
        assertEquals(10, m.deadLetters() - 1, "the ten it failed on, and the late reply");
        assertEquals(1_002, m.messagesReceived());
        assertEquals(1_002, m.messagesSent(), "1,000 sent to picky, 2 to late: each once");
    }

    @Test
    void theExpositionIsWellFormedPrometheusText() {
        rt.start();
        AtomicLong sink = new AtomicLong();
        AgentHandle<Work> h = rt.spawn("agent \"quoted\"\\name", worker(sink));
        for (int i = 0; i < 100; i++) {
            h.ref().signal(new Work(10));
        }
        Await.until(() -> h.metrics().received() == 100);
        String text = new PrometheusMetrics(rt).scrape();
        Set<String> typed = new HashSet<>();
        Set<String> sampled = new HashSet<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                continue;
            }
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                assertTrue(typed.add(type.group(1)), "TYPE twice for " + type.group(1));
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            assertTrue(sample.matches(), "not a Prometheus sample line: " + line);
            sampled.add(sample.group(1));
        }
        for (String name : sampled) {
            assertTrue(typed.stream().anyMatch(name::startsWith), "no TYPE for " + name);
        }
        assertTrue(text.contains("myrmex_messages_received_total 100"), text);
        assertTrue(text.contains("myrmex_agents{state=\"RUNNING\"} 1"), text);
        assertTrue(text.contains("myrmex_agent_received_total{agent=\"agent \\\"quoted\\\"\\\\name\"} 100"), text);
        assertTrue(text.contains("myrmex_mailbox_latency_seconds{quantile=\"0.99\"}"), text);
        assertFalse(new PrometheusMetrics(rt, 0).scrape().contains("myrmex_agent_"),
                "per-agent series beyond the limit");
        assertThrows(IllegalArgumentException.class, () -> new PrometheusMetrics(rt, -1));
    }
}
