package dev.myrmex.examples;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.core.Val;
import dev.myrmex.core.mailbox.MailboxSettings;
import java.util.List;
import java.util.Locale;

/**
 * A pipeline of agents: a source emits raw trade lines, a parser turns them into trades, an enricher adds the
 * notional, and a sink totals them. Small mailboxes (64) show backpressure at work: the fast source is held back at
 * each stage's high watermark instead of filling memory, and no message is lost (the dead-letter count stays 0).
 * Run: {@code ./myrmex example pipeline [lines]}.
 */
public final class PipelineExample {
    private PipelineExample() {
    }

    record Line(String text) implements Val {
    }

    record Trade(String symbol, long qty, long priceMicros) implements Val {
    }

    record Enriched(Trade trade, long notionalMicros) implements Val {
    }

    record Done(long count) implements Val {
    }

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? ExampleArgs.positive("lines", args[0]) : 500_000;
        List<String> symbols = List.of("ACME", "GLOBEX", "INITECH", "UMBRELLA");
        SpawnOptions small = SpawnOptions.DEFAULTS.withMailbox(MailboxSettings.DEFAULTS.withCapacity(64));
        try (AgentRuntime rt = AgentRuntime.builder().build()) {
            rt.start();
            AgentHandle<Enriched> sink = rt.spawn("sink", ctx -> {
                long count = 0;
                long notional = 0;
                while (count < lines) {
                    Enriched e = ctx.receive().payload();
                    count++;
                    notional += e.notionalMicros();
                }
                ctx.result(String.format(Locale.ROOT, "%,d trades, total notional %,.2f", count, notional / 1e6));
            }, small);
            AgentHandle<Trade> enricher = rt.spawn("enricher", ctx -> {
                AgentRef<Enriched> next = sink.ref();
                while (true) {
                    Trade t = ctx.receive().payload();
                    next.signal(new Enriched(t, t.qty() * t.priceMicros()));
                }
            }, small);
            AgentHandle<Line> parser = rt.spawn("parser", ctx -> {
                AgentRef<Trade> next = enricher.ref();
                while (true) {
                    String[] f = ctx.receive().payload().text().split(",");
                    next.signal(new Trade(f[0], Long.parseLong(f[1]), Long.parseLong(f[2])));
                }
            }, small);
            long start = System.nanoTime();
            rt.spawn("source", ctx -> {
                for (int i = 0; i < lines; i++) {
                    parser.ref().signal(new Line(symbols.get(i % symbols.size()) + "," + (1 + i % 100) + ","
                            + (10_000_000 + i % 1000)));
                }
            });
            Object summary = sink.join();
            long nanos = System.nanoTime() - start;
            System.out.printf(Locale.ROOT,
                    "pipeline: %s in %.1f ms, %,.0f lines/s through 4 agents; dead letters: %d%n", summary,
                    nanos / 1e6, lines / (nanos / 1e9), rt.deadLetters().count());
        }
    }
}
