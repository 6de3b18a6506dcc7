package dev.myrmex.examples.trading;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.core.Val;
import dev.myrmex.core.coord.Quorum;
import dev.myrmex.core.coord.QuorumThreshold;
import dev.myrmex.core.coord.ShardRing;
import dev.myrmex.core.mailbox.MailboxSettings;
import dev.myrmex.core.resilience.Backoff;
import dev.myrmex.core.supervision.RestartPolicy;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.examples.trading.Market.Check;
import dev.myrmex.examples.trading.Market.Crash;
import dev.myrmex.examples.trading.Market.Decision;
import dev.myrmex.examples.trading.Market.Order;
import dev.myrmex.examples.trading.Market.Quote;
import dev.myrmex.examples.trading.Market.ToAnalyzer;
import dev.myrmex.examples.trading.Market.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A trading swarm: market-data feeds, per-symbol analyzers sharded by symbol, a risk manager that asks a quorum of
 * risk checkers before large orders, and an executor; analyzers are crashed on purpose and restarted by their
 * supervision while quotes keep flowing.
 *
 * <pre>
 * ./myrmex example trading-swarm [--seconds 10] [--feeds 4] [--symbols 200] [--analyzers 16] [--checkers 5]
 *                                [--rate 200000] [--crash-every 250]
 * </pre>
 *
 * <ul>
 *   <li><b>Feeds</b> (direct style: a loop on a virtual thread) publish quotes for their share of the symbols at a
 *       steady rate, a random walk per symbol, each to the analyzer a {@link ShardRing} picks for its symbol: one
 *       symbol always goes to the same analyzer, so its moving average is in one place.</li>
 *   <li><b>Analyzers</b> (handlers on the carriers, supervised: restart on failure) keep a moving average per symbol
 *       and send an order when a price strays from it. A {@code Crash} makes one throw; it comes back with its
 *       address and queued quotes, its averages rebuilt from the next quotes.</li>
 *   <li>The <b>risk manager</b> passes small orders straight on and asks a {@link Quorum} of <b>risk checkers</b>
 *       (majority, 50 ms) about large ones; each checker has its own limit, so borderline orders split the vote.</li>
 *   <li>The <b>executor</b> fills approved orders and records quote-to-fill latency in an HdrHistogram.</li>
 * </ul>
 * Each second it prints throughput, latency percentiles, restarts and agent counts; at the end, the totals.
 */
public final class TradingSwarm {
    /** Orders at or above this notional (in currency units) go to the quorum. */
    static final long LARGE_NOTIONAL = 1_000_000;

    private final SwarmOptions options;
    private final AgentRuntime rt;
    private final SwarmStats stats = new SwarmStats();
    private final ShardRing<AgentRef<ToAnalyzer>> analyzers = ShardRing.create();
    private final List<AgentRef<ToAnalyzer>> analyzerRefs = new ArrayList<>();
    private final List<AgentHandle<Val>> feeds = new ArrayList<>();
    private final Runnable eachSecond;

    private TradingSwarm(SwarmOptions options, AgentRuntime rt, Runnable eachSecond) {
        this.options = options;
        this.rt = rt;
        this.eachSecond = eachSecond != null ? eachSecond : () -> stats.printSecond(rt);
    }

    public static void main(String[] args) throws Exception {
        SwarmOptions options = SwarmOptions.parse(args);
        try (AgentRuntime rt = AgentRuntime.builder().randomSeed(2026).build()) {
            rt.start();
            run(options, rt, null);
        }
    }

    /**
     * Runs the swarm on {@code rt} (started) for {@code options.seconds()}, then prints its totals. Each second it
     * runs {@code eachSecond}, or prints its own line if that is null; {@code ./myrmex demo} prints the runtime's.
     */
    public static void run(SwarmOptions options, AgentRuntime rt, Runnable eachSecond) throws Exception {
        new TradingSwarm(options, rt, eachSecond).run();
    }

    private void run() throws Exception {
        AgentRef<Decision> executor = rt.<Decision>spawn("executor", Behaviors.nonBlocking(
                (ctx, m) -> stats.executed(m.payload()))).ref();
        List<AgentRef<Check>> checkers = new ArrayList<>();
        for (int i = 0; i < options.checkers(); i++) {
            long limit = LARGE_NOTIONAL * (6 + i) / 5; // 1.2x, 1.4x, 1.6x ... the large-order line
            checkers.add(rt.<Check>spawn("risk-checker-" + i, Behaviors.nonBlocking((ctx, m) ->
                    ctx.reply(m, new Verdict(m.payload().order().notional() <= limit)))).ref());
        }
        Quorum<Check, Verdict> risk = Quorum.of(rt, checkers, QuorumThreshold.majority(), Duration.ofMillis(50));
        AgentRef<Order> riskManager = rt.<Order>spawn("risk-manager", Behaviors.nonBlocking((ctx, m) -> {
            Order order = m.payload();
            if (order.notional() < LARGE_NOTIONAL) {
                executor.signal(new Decision(order, true, false));
                return;
            }
            risk.ask(new Check(order)).thenAccept(r -> {
                stats.quorumRound(r);
                executor.signal(new Decision(order, r.decided() && r.decision().approved(), true));
            });
        }), SpawnOptions.DEFAULTS.withMailbox(MailboxSettings.DEFAULTS.withCapacity(1 << 16))).ref();

        Supervision restart = Supervision.of(RestartPolicy.ON_FAILURE)
                .withMaxRestarts(1_000_000, Duration.ofMinutes(1))
                .withBackoff(Backoff.fixed(Duration.ofMillis(1)));
        SpawnOptions analyzerOptions = SpawnOptions.DEFAULTS.withSupervision(restart)
                .withMailbox(MailboxSettings.DEFAULTS.withCapacity(1 << 14));
        for (int i = 0; i < options.analyzers(); i++) {
            AgentRef<ToAnalyzer> ref = rt.spawn("analyzer-" + i, analyzer(riskManager), analyzerOptions).ref();
            analyzers.add("analyzer-" + i, ref);
            analyzerRefs.add(ref);
        }
        for (int f = 0; f < options.feeds(); f++) {
            feeds.add(rt.spawn("feed-" + f, feed(f)));
        }
        System.out.printf(Locale.ROOT, "trading swarm: %d feeds, %d symbols, %d analyzers (sharded by symbol), "
                        + "%d risk checkers (majority quorum), 1 risk manager, 1 executor: %d agents; %,d quotes/s "
                        + "for %d s, an analyzer crashed every %d ms%n", options.feeds(), options.symbols(),
                options.analyzers(), options.checkers(), rt.agentCount(), options.quotesPerSecond(),
                options.seconds(), options.crashEveryMillis());
        chaosAndReport();
        for (AgentHandle<Val> feed : feeds) {
            feed.stop();
            feed.join(Duration.ofSeconds(10));
        }
        stats.awaitDrained(Duration.ofSeconds(10));
        stats.printSummary(options, rt);
    }

    /** Runs for the configured time: crashes an analyzer now and then, prints a line a second. */
    private void chaosAndReport() throws InterruptedException {
        SplittableRandom random = new SplittableRandom(11);
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(options.seconds()).toNanos();
        long nextCrash = start + Duration.ofMillis(options.crashEveryMillis()).toNanos();
        long nextReport = start + 1_000_000_000L;
        long crashes = 0;
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (now >= nextCrash) {
                analyzerRefs.get(random.nextInt(analyzerRefs.size())).signal(new Crash(++crashes));
                stats.crashSent();
                nextCrash += Duration.ofMillis(options.crashEveryMillis()).toNanos();
            }
            if (now >= nextReport) {
                eachSecond.run();
                nextReport += 1_000_000_000L;
            }
            Thread.sleep(Math.max(1, Math.min(nextCrash, nextReport) - System.nanoTime()) / 1_000_000 + 1);
        }
    }

    /** An analyzer: a moving average per symbol (fixed point), an order when the price strays 0.4% from it. */
    private Behavior<ToAnalyzer> analyzer(AgentRef<Order> riskManager) {
        return Behaviors.setup(() -> {
            Map<String, long[]> averages = new HashMap<>();
            SplittableRandom sizes = new SplittableRandom(averages.hashCode());
            return Behaviors.nonBlocking((ctx, m) -> {
                switch (m.payload()) {
                    case Crash c -> throw new IllegalStateException("crash " + c.id() + " on purpose (chaos)");
                    case Quote q -> {
                        stats.quoteAnalyzed();
                        long[] avg = averages.computeIfAbsent(q.symbol(), s -> new long[] {q.price()});
                        long deviation = (q.price() - avg[0]) * 10_000 / avg[0]; // basis points
                        avg[0] += (q.price() - avg[0]) / 16;
                        if (Math.abs(deviation) >= 40) {
                            long quantity = 100 + sizes.nextLong(2_000);
                            stats.orderSent();
                            riskManager.signal(new Order(q.symbol(), deviation < 0, quantity, q.price(),
                                    q.createdNanos()));
                        }
                    }
                }
            });
        });
    }

    /** A feed: a random walk for each of its symbols, published at its share of the rate, paced per millisecond. */
    private Behavior<Val> feed(int index) {
        return ctx -> {
            List<String> symbols = new ArrayList<>();
            for (int s = index; s < options.symbols(); s += options.feeds()) {
                symbols.add("SYM" + s);
            }
            if (symbols.isEmpty()) {
                return;
            }
            long[] prices = new long[symbols.size()];
            SplittableRandom random = new SplittableRandom(index);
            for (int i = 0; i < prices.length; i++) {
                prices[i] = 100_0000 + random.nextLong(900_0000); // 100.0000 to 1000.0000
            }
            double perNano = options.quotesPerSecond() / (double) options.feeds() / 1e9;
            long start = System.nanoTime();
            long sent = 0;
            while (true) {
                long due = (long) ((System.nanoTime() - start) * perNano);
                for (; sent < due; sent++) {
                    int i = random.nextInt(prices.length);
                    prices[i] = Math.max(1_0000, prices[i] + prices[i] * (random.nextInt(21) - 10) / 10_000);
                    String symbol = symbols.get(i);
                    analyzers.shardFor(symbol).signal(new Quote(symbol, prices[i], System.nanoTime()));
                    stats.quotePublished();
                }
                ctx.receive(Duration.ofMillis(1)); // the runtime's wait; a graceful stop ends the loop here
            }
        };
    }
}
