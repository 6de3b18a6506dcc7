package dev.myrmex.examples;

import dev.myrmex.admin.MetricsEndpoint;
import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.core.Val;
import dev.myrmex.core.mailbox.MailboxSettings;
import dev.myrmex.core.metrics.HealthCheck;
import dev.myrmex.core.metrics.HealthReport;
import dev.myrmex.core.metrics.PrometheusMetrics;
import dev.myrmex.core.metrics.RuntimeMetrics;
import dev.myrmex.core.resilience.Backoff;
import dev.myrmex.core.supervision.RestartPolicy;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.core.supervision.SupervisionStrategy;
import dev.myrmex.core.supervision.Supervisor;
import dev.myrmex.core.supervision.SupervisorSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Supervision, health and metrics at work: a supervision tree of workers that crash on purpose, restarted by their
 * supervisor while messages keep flowing, with a Prometheus endpoint to watch it all.
 *
 * <pre>
 * ./myrmex example supervision [--seconds 10] [--workers 16] [--metrics-port 9400]
 * curl http://127.0.0.1:9400/metrics          # while it runs
 * </pre>
 *
 * The tree: {@code root} (ONE_FOR_ONE) holds {@code workers} (ONE_FOR_ONE, each worker restarted on failure, at most
 * 100,000 times a minute, exponential backoff from 1 ms up to 4 ms, with jitter) and {@code auditor}, which counts what
 * the workers did. About one order in 200 is poison: the worker that takes it throws, the order becomes a dead letter
 * carrying the exception, and the worker comes back with the same address and its queued orders. Each second it prints
 * throughput, restarts, dead letters, mailbox latency and health (a worker waiting out its backoff is RESTARTING, so
 * not ready: the runtime reads DEGRADED while some worker is down, which is the truth).
 */
public final class SupervisionExample {
    private SupervisionExample() {
    }

    record Order(long id, boolean poison) implements Val {
    }

    record Filled(long id) implements Val {
    }

    public static void main(String[] args) throws Exception {
        int seconds = 10;
        int workers = 16;
        int port = 9400;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--seconds" -> seconds = ExampleArgs.positive("--seconds", value);
                case "--workers" -> workers = ExampleArgs.positive("--workers", value);
                case "--metrics-port" -> port = parsePort(value);
                default -> throw new BadArgumentsException("unknown option " + args[i]
                        + " (known: --seconds N, --workers N, --metrics-port P)");
            }
            i++;
        }
        run(seconds, workers, port);
    }

    static int parsePort(String s) {
        return ExampleArgs.port("--metrics-port", s);
    }

    private static void run(int seconds, int workerCount, int port) throws Exception {
        try (AgentRuntime rt = AgentRuntime.builder().randomSeed(2026).build()) {
            rt.start();
            Supervision restartOften = Supervision.of(RestartPolicy.ON_FAILURE)
                    .withMaxRestarts(100_000, Duration.ofMinutes(1))
                    .withBackoff(Backoff.exponential(Duration.ofMillis(1), 2.0, Duration.ofMillis(4)).withJitter(0.5));
            SupervisorSpec.Builder workersSpec = SupervisorSpec.builder(SupervisionStrategy.ONE_FOR_ONE);
            SpawnOptions workerOptions = SpawnOptions.DEFAULTS.withSupervision(restartOften)
                    .withHealth(HealthCheck.liveness(Duration.ofSeconds(2)));
            for (int w = 0; w < workerCount; w++) {
                workersSpec.agent("worker-" + w, worker(rt), workerOptions);
            }
            Supervisor root = rt.supervise("root", SupervisorSpec.builder(SupervisionStrategy.ONE_FOR_ONE)
                    .agent("auditor", Behaviors.<Filled>nonBlocking((ctx, m) -> { }), SpawnOptions.DEFAULTS
                            .withSupervision(restartOften).withMailbox(MailboxSettings.DEFAULTS.withCapacity(1 << 20)))
                    .supervisor("workers", workersSpec.build(), restartOften)
                    .build());
            Supervisor pool = root.supervisor("workers").orElseThrow();
            List<AgentRef<Order>> refs = new ArrayList<>();
            for (int w = 0; w < workerCount; w++) {
                refs.add(pool.<Order>agent("worker-" + w).orElseThrow().ref());
            }
            try (MetricsEndpoint endpoint = MetricsEndpoint.start(new PrometheusMetrics(rt), port)) {
                System.out.printf(Locale.ROOT, "supervision: %d workers for %d s; metrics: curl http://127.0.0.1:%d"
                        + "/metrics%n", workerCount, seconds, endpoint.address().getPort());
                long sent = feed(rt, refs, seconds);
                AgentHandle<Filled> auditor = root.<Filled>agent("auditor").orElseThrow();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while ((auditor.metrics().received() + rt.deadLetters().count() < sent // each order: filled or dead
                        || rt.metrics().restarts() < rt.deadLetters().count(DeadLetter.Reason.AGENT_FAILED))
                        && System.nanoTime() < deadline) { // ...and the last crashed worker back
                    Thread.sleep(1);
                }
                long crashed = rt.deadLetters().count(DeadLetter.Reason.AGENT_FAILED);
                RuntimeMetrics m = rt.metrics();
                System.out.printf(Locale.ROOT, "done: %,d orders sent, %,d filled, %,d crashed on (dead letters with "
                        + "their cause), %,d restarts, other dead letters %d, escalations %d, tree %s%n", sent,
                        auditor.metrics().received(), crashed, m.restarts(),
                        rt.deadLetters().count() - crashed, m.escalations(), root.state());
            }
        }
    }

    /** A worker fills orders and tells the auditor; a poison order makes it throw. State starts over per restart. */
    private static Behavior<Order> worker(AgentRuntime rt) {
        return Behaviors.setup(() -> {
            long[] handled = {0};
            return Behaviors.nonBlocking((ctx, m) -> {
                if (m.payload().poison()) {
                    throw new IllegalStateException("poison order " + m.payload().id() + " after " + handled[0]);
                }
                handled[0]++;
                tellAuditor(rt, new Filled(m.payload().id()));
            });
        });
    }

    @SuppressWarnings("unchecked") // the auditor takes Filled: the tree above spawns it so
    private static void tellAuditor(AgentRuntime rt, Filled f) {
        rt.lookup("auditor").ifPresent(a -> ((AgentRef<Filled>) a.ref()).signal(f));
    }

    /** Sends orders to random workers for {@code seconds}, printing a status line each second. */
    private static long feed(AgentRuntime rt, List<AgentRef<Order>> workers, int seconds) throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        long id = 0;
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long nextReport = System.nanoTime() + 1_000_000_000L;
        long lastReceived = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1_000; i++) {
                workers.get(random.nextInt(workers.size())).signal(new Order(id++, random.nextInt(200) == 0));
            }
            Thread.sleep(1); // a steady stream, about a million orders a second at most
            if (System.nanoTime() >= nextReport) {
                nextReport += 1_000_000_000L;
                RuntimeMetrics m = rt.metrics();
                HealthReport h = rt.health();
                System.out.printf(Locale.ROOT, "  %,9d msg/s  restarts %,6d  dead letters %,6d  mailbox p50 %,7d ns"
                                + "  p99 %,9d ns  health %s (%d stuck, %d not ready)%n",
                        m.messagesReceived() - lastReceived, m.restarts(), m.deadLetters(),
                        m.mailboxLatency().p50Nanos(), m.mailboxLatency().p99Nanos(),
                        h.status(), h.stuck(), h.notReady());
                lastReceived = m.messagesReceived();
            }
        }
        return id;
    }
}
