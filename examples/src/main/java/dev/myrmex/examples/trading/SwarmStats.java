package dev.myrmex.examples.trading;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.coord.QuorumResult;
import dev.myrmex.core.metrics.RuntimeMetrics;
import dev.myrmex.examples.trading.Market.Decision;
import dev.myrmex.examples.trading.Market.Verdict;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The swarm's counters and its quote-to-fill latency. Written by agents on any carrier: counters are
 * {@link LongAdder}s, latencies go to fixed-range HdrHistogram recorders (an auto-resizing one may lock and wait
 * while it grows, which agents running on the carriers must never do); the printing thread reads them.
 */
final class SwarmStats {
    private static final long MAX_LATENCY = TimeUnit.SECONDS.toNanos(60);

    private final LongAdder quotesPublished = new LongAdder();
    private final LongAdder quotesAnalyzed = new LongAdder();
    private final LongAdder orders = new LongAdder();
    private final LongAdder decisions = new LongAdder();
    private final LongAdder fills = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder crashesSent = new LongAdder();
    private final LongAdder rounds = new LongAdder();
    private final LongAdder roundsApproved = new LongAdder();
    private final LongAdder roundsRejected = new LongAdder();
    private final LongAdder roundsUndecided = new LongAdder();
    private final LongAdder roundsSplit = new LongAdder();
    private final Recorder latency = new Recorder(1, MAX_LATENCY, 3);
    private final Recorder quorumLatency = new Recorder(1, MAX_LATENCY, 3);
    private final Histogram allLatency = new Histogram(1, MAX_LATENCY, 3); // the printing thread's
    private final Histogram allQuorumLatency = new Histogram(1, MAX_LATENCY, 3);
    private final long started = System.nanoTime();
    private long lastQuotes;
    private long lastFills;
    private long lastSecond = started;
    private boolean warmedUp; // the first second (loading and compiling code) is printed, not summed

    void quotePublished() {
        quotesPublished.increment();
    }

    void quoteAnalyzed() {
        quotesAnalyzed.increment();
    }

    void orderSent() {
        orders.increment();
    }

    void crashSent() {
        crashesSent.increment();
    }

    void quorumRound(QuorumResult<Verdict> r) {
        rounds.increment();
        if (!r.decided()) {
            roundsUndecided.increment();
        } else if (r.decision().approved()) {
            roundsApproved.increment();
        } else {
            roundsRejected.increment();
        }
        if (r.conflicting()) {
            roundsSplit.increment();
        }
    }

    void executed(Decision d) {
        if (d.approved()) {
            long nanos = Math.min(MAX_LATENCY, Math.max(1, System.nanoTime() - d.order().createdNanos()));
            latency.recordValue(nanos);
            if (d.askedQuorum()) {
                quorumLatency.recordValue(nanos);
            }
            fills.increment();
        } else {
            rejected.increment();
        }
        decisions.increment();
    }

    /** One status line: this second's rates and latency. */
    void printSecond(AgentRuntime rt) {
        long now = System.nanoTime();
        double secs = (now - lastSecond) / 1e9;
        Histogram h = latency.getIntervalHistogram();
        Histogram q = quorumLatency.getIntervalHistogram();
        if (warmedUp) {
            allLatency.add(h);
            allQuorumLatency.add(q);
        }
        warmedUp = true;
        long quotes = quotesPublished.sum();
        long filled = fills.sum();
        System.out.printf(Locale.ROOT, "  %,9.0f quotes/s  %,7.0f fills/s  fill latency p50 %,7.1f us  p99 %,8.1f us"
                        + "  p99.9 %,8.1f us  restarts %,5d  agents %d%n", (quotes - lastQuotes) / secs,
                (filled - lastFills) / secs, h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, rt.metrics().restarts(), rt.agentCount());
        lastQuotes = quotes;
        lastFills = filled;
        lastSecond = now;
    }

    /** Waits until every order has its decision (the quorum always ends a round, at worst at its timeout). */
    void awaitDrained(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while ((decisions.sum() < orders.sum() || quotesAnalyzed.sum() < quotesPublished.sum())
                && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    void printSummary(SwarmOptions o, AgentRuntime rt) {
        allLatency.add(latency.getIntervalHistogram());
        allQuorumLatency.add(quorumLatency.getIntervalHistogram());
        double secs = (System.nanoTime() - started) / 1e9;
        RuntimeMetrics m = rt.metrics();
        System.out.printf(Locale.ROOT, "done in %.1f s: %,d quotes published, %,d analyzed (%,.0f a second); "
                        + "%,d orders, %,d filled, %,d rejected by risk%n", secs, quotesPublished.sum(),
                quotesAnalyzed.sum(), quotesAnalyzed.sum() / secs, orders.sum(), fills.sum(), rejected.sum());
        System.out.printf(Locale.ROOT, "quote-to-fill latency after the first second, all fills: p50 %,.1f us, "
                        + "p99 %,.1f us, p99.9 %,.1f us, max %,.1f us (%,d fills)%n",
                allLatency.getValueAtPercentile(50) / 1e3,
                allLatency.getValueAtPercentile(99) / 1e3, allLatency.getValueAtPercentile(99.9) / 1e3,
                allLatency.getMaxValue() / 1e3, allLatency.getTotalCount());
        System.out.printf(Locale.ROOT, "quote-to-fill latency after the first second, through the risk quorum: "
                        + "p50 %,.1f us, p99 %,.1f us (%,d fills)%n", allQuorumLatency.getValueAtPercentile(50) / 1e3,
                allQuorumLatency.getValueAtPercentile(99) / 1e3, allQuorumLatency.getTotalCount());
        System.out.printf(Locale.ROOT, "risk quorum: %,d rounds, %,d approved, %,d rejected, %,d undecided; %,d with "
                        + "split votes%n", rounds.sum(), roundsApproved.sum(), roundsRejected.sum(),
                roundsUndecided.sum(), roundsSplit.sum());
        System.out.printf(Locale.ROOT, "chaos: %,d analyzer crashes sent, %,d restarts; dead letters %,d (the crash "
                        + "messages); agents %d (%d feeds, %d analyzers, %d checkers, risk manager, executor), "
                        + "%d of them still running (the feeds end when the time is up)%n",
                crashesSent.sum(), m.restarts(), rt.deadLetters().count(),
                o.feeds() + o.analyzers() + o.checkers() + 2, o.feeds(), o.analyzers(), o.checkers(), rt.agentCount());
    }
}
