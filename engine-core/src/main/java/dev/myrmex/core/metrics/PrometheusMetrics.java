package dev.myrmex.core.metrics;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.AgentState;
import dev.myrmex.core.DeadLetter;
import dev.myrmex.sched.SchedulerStats;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A runtime's metrics for Prometheus, through the official Prometheus Java client: register it in a
 * {@code PrometheusRegistry} of your own, take the text format with {@link #scrape()}, or serve it with
 * engine-admin's {@code MetricsEndpoint} (engine-core carries no HTTP server). Each collection takes a fresh
 * {@link AgentRuntime#metrics()} snapshot.
 *
 * <pre>{@code
 * PrometheusMetrics prometheus = new PrometheusMetrics(rt);
 * String text = prometheus.scrape();   // what a Prometheus server would receive
 * }</pre>
 *
 * <p>Runtime-wide series are always there ({@code myrmex_*}: uptime, agents by state, messages, dead letters by
 * reason, restarts, escalations, hook and liveness failures, mailbox and spawn latency summaries, scheduler counters).
 * Per-agent series ({@code myrmex_agent_*}, labelled by agent name) are included only while the runtime holds at most
 * {@code perAgentLimit} agents: a label per agent for a million agents would swamp any Prometheus server.
 */
public final class PrometheusMetrics implements MultiCollector {
    /** Per-agent series up to this many agents, by default. */
    public static final int DEFAULT_PER_AGENT_LIMIT = 100;
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

    private final AgentRuntime runtime;
    private final int perAgentLimit;

    /** Runtime-wide series, and per-agent series up to {@value #DEFAULT_PER_AGENT_LIMIT} agents. */
    public PrometheusMetrics(AgentRuntime runtime) {
        this(runtime, DEFAULT_PER_AGENT_LIMIT);
    }

    /**
     * @param perAgentLimit per-agent series only while the runtime holds at most this many agents; 0: never
     * @throws IllegalArgumentException if {@code perAgentLimit} is negative
     */
    public PrometheusMetrics(AgentRuntime runtime, int perAgentLimit) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        if (perAgentLimit < 0) {
            throw new IllegalArgumentException("perAgentLimit must not be negative: " + perAgentLimit);
        }
        this.perAgentLimit = perAgentLimit;
    }

    /** One scrape in the Prometheus text exposition format (version 0.0.4), as a server would receive it. */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, collect(), EscapingScheme.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public MetricSnapshots collect() {
        RuntimeMetrics m = runtime.metrics();
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(gauge("myrmex_uptime_seconds", "Time since the runtime started", Unit.SECONDS,
                m.uptime().toNanos() / 1e9));
        GaugeSnapshot.Builder byState = GaugeSnapshot.builder().name("myrmex_agents").help("Agents alive, by state");
        for (AgentState s : AgentState.values()) {
            byState.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("state", s.name()))
                    .value(m.agentsByState().getOrDefault(s, 0)).build());
        }
        out.add(byState.build());
        out.add(counter("myrmex_messages_sent", "Messages handed to agents: taken, waiting or dead letters",
                m.messagesSent()));
        out.add(counter("myrmex_messages_received", "Messages agents have taken", m.messagesReceived()));
        CounterSnapshot.Builder dead = CounterSnapshot.builder().name("myrmex_dead_letters")
                .help("Messages not delivered, or whose processing failed, by reason");
        for (DeadLetter.Reason r : DeadLetter.Reason.values()) {
            dead.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("reason", r.name()))
                    .value(runtime.deadLetters().count(r)).build());
        }
        out.add(dead.build());
        out.add(counter("myrmex_restarts", "Agent restarts by supervisors", m.restarts()));
        out.add(counter("myrmex_escalations", "Supervision trees whose root failed", m.escalations()));
        out.add(counter("myrmex_hook_failures", "Lifecycle hooks that threw", m.hookFailures()));
        out.add(counter("myrmex_liveness_failures", "Agents found stuck by their liveness check",
                m.livenessFailures()));
        out.add(summary("myrmex_mailbox_latency_seconds",
                "Time sampled messages waited in a mailbox, enqueue to dequeue", m.mailboxLatency()));
        out.add(summary("myrmex_spawn_latency_seconds", "Time sampled spawns took", m.spawnLatency()));
        out.add(counter("myrmex_journal_records_written", "Records the journal accepted", m.journal().written()));
        out.add(counter("myrmex_journal_records_dropped", "Events dropped because the ring to the journal writer was"
                + " full", m.journal().dropped()));
        out.add(counter("myrmex_journal_failed_appends", "Journal appends that threw (a full disk, an unwritable or"
                + " damaged journal); any makes the runtime DOWN", m.journal().failedAppends()));
        out.add(counter("myrmex_journal_records_lost", "Records in journal appends that threw: not in the journal",
                m.journal().lostRecords()));
        addScheduler(out, m.scheduler());
        if (m.agents() <= perAgentLimit) {
            addPerAgent(out, runtime.agents());
        }
        return new MetricSnapshots(out);
    }

    private static void addScheduler(List<MetricSnapshot> out, SchedulerStats s) {
        out.add(gauge("myrmex_scheduler_workers", "Carrier threads", null, s.workers()));
        out.add(counter("myrmex_scheduler_tasks_run", "Continuation runs on the carriers", s.tasksRun()));
        out.add(counter("myrmex_scheduler_lifo_hits", "Runs taken from a carrier's LIFO slot", s.lifoHits()));
        out.add(counter("myrmex_scheduler_steals", "Successful steals between carriers", s.steals()));
        out.add(counter("myrmex_scheduler_parks", "Times a carrier parked for lack of work", s.parks()));
        out.add(counter("myrmex_scheduler_stall_rescues", "Times work was moved off a stuck carrier",
                s.stallRescues()));
        out.add(counter("myrmex_scheduler_spares_started", "Spare carriers started while runs held carriers",
                s.sparesStarted()));
        out.add(gauge("myrmex_scheduler_spares_running", "Spare carriers alive now", null, s.sparesRunning()));
        GaugeSnapshot.Builder depth = GaugeSnapshot.builder().name("myrmex_scheduler_queue_depth")
                .help("Continuations waiting, by queue (global, or a carrier's local queue)");
        depth.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("queue", "global"))
                .value(s.globalQueueDepth()).build());
        for (SchedulerStats.WorkerStats w : s.perWorker()) {
            depth.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("queue", "worker-" + w.index()))
                    .value(w.localQueueDepth()).build());
        }
        out.add(depth.build());
    }

    private static void addPerAgent(List<MetricSnapshot> out, List<AgentHandle<?>> agents) {
        GaugeSnapshot.Builder depth = GaugeSnapshot.builder().name("myrmex_agent_mailbox_depth")
                .help("Messages waiting in the agent's mailbox");
        CounterSnapshot.Builder received = CounterSnapshot.builder().name("myrmex_agent_received")
                .help("Messages the agent has taken");
        CounterSnapshot.Builder restarts = CounterSnapshot.builder().name("myrmex_agent_restarts")
                .help("Times the agent was restarted");
        GaugeSnapshot.Builder processing = GaugeSnapshot.builder().name("myrmex_agent_processing_seconds")
                .help("Time a message takes, moving average of sampled messages").unit(Unit.SECONDS);
        GaugeSnapshot.Builder rate = GaugeSnapshot.builder().name("myrmex_agent_messages_per_second")
                .help("Rate the agent takes messages at, moving average");
        GaugeSnapshot.Builder utilization = GaugeSnapshot.builder().name("myrmex_agent_utilization")
                .help("Share of wall-clock time the agent spends processing messages (blocked time included), 0 to 1");
        GaugeSnapshot.Builder state = GaugeSnapshot.builder().name("myrmex_agent_state")
                .help("1 for the agent's current state");
        for (AgentHandle<?> a : agents) {
            AgentMetrics m = a.metrics();
            Labels agent = Labels.of("agent", a.name());
            depth.dataPoint(GaugeDataPointSnapshot.builder().labels(agent).value(m.mailboxDepth()).build());
            received.dataPoint(CounterDataPointSnapshot.builder().labels(agent).value(m.received()).build());
            restarts.dataPoint(CounterDataPointSnapshot.builder().labels(agent).value(m.restarts()).build());
            processing.dataPoint(GaugeDataPointSnapshot.builder().labels(agent)
                    .value(m.processingNanosEma() / 1e9).build());
            rate.dataPoint(GaugeDataPointSnapshot.builder().labels(agent).value(m.messagesPerSecond()).build());
            utilization.dataPoint(GaugeDataPointSnapshot.builder().labels(agent).value(m.utilization()).build());
            state.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("agent", a.name(), "state",
                    m.state().name())).value(1).build());
        }
        out.add(depth.build());
        out.add(received.build());
        out.add(restarts.build());
        out.add(processing.build());
        out.add(rate.build());
        out.add(utilization.build());
        out.add(state.build());
    }

    private static GaugeSnapshot gauge(String name, String help, Unit unit, double value) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build());
        if (unit != null) {
            b.unit(unit);
        }
        return b.build();
    }

    private static CounterSnapshot counter(String name, String help, long value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    private static SummarySnapshot summary(String name, String help, LatencySnapshot l) {
        long[] nanos = {l.p50Nanos(), l.p90Nanos(), l.p99Nanos(), l.p999Nanos()};
        List<Quantile> qs = new ArrayList<>();
        if (l.count() > 0) {
            for (int i = 0; i < QUANTILES.length; i++) {
                qs.add(new Quantile(QUANTILES[i], nanos[i] / 1e9));
            }
        }
        return SummarySnapshot.builder().name(name).help(help).unit(Unit.SECONDS)
                .dataPoint(SummaryDataPointSnapshot.builder().quantiles(Quantiles.of(qs)).count(l.count())
                        .sum(l.meanNanos() * l.count() / 1e9).build())
                .build();
    }
}
