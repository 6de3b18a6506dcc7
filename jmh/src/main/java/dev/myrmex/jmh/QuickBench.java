package dev.myrmex.jmh;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code ./myrmex bench quick}: the README's performance table, measured on this machine in about four minutes. Five
 * agent benchmarks (ping-pong, thread ring, counting, spawn, ask), each for Myrmex's two agent styles and the two
 * strongest peers (Apache Pekko, and JDK virtual threads with a jox channel), in one JMH run: one fork, 3 warm-up and 3
 * measured iterations of a second. It prints the machine, the table with the ratios, and which figures came out too
 * noisy to mean much.
 *
 * <p>Short runs: the ratios are indicative. Figures to quote come from the full suites ({@code ./myrmex bench
 * dev.myrmex.jmh.core}, two forks of 5 + 5 iterations), on a machine with nothing else running.
 */
public final class QuickBench {
    /**
     * A score whose iterations' standard deviation is beyond this share of it is reported as noisy. (Not JMH's 99.9%
     * error: with 3 iterations its Student factor, about 31.6, flags every figure.)
     */
    static final double NOISY = 0.10;
    /** The implementations compared: Myrmex's two styles, then the peers. */
    static final List<String> IMPLS = List.of("MYRMEX_HANDLER", "MYRMEX", "PEKKO", "VT_JOX");
    static final List<String> PEERS = List.of("PEKKO", "VT_JOX");

    /** One row of the table: a benchmark method, how to read it. */
    record Row(String label, String benchmark, boolean higherIsBetter) {
    }

    static final List<Row> ROWS = List.of(
            new Row("ping-pong, ns per hop", "core.AgentPingPongBenchmark.hop", false),
            new Row("thread ring of 503, ns per hop", "core.ThreadRingBenchmark.hop", false),
            new Row("counting, M messages/s", "core.CountingBenchmark.count", true),
            new Row("spawn, ns per agent", "core.SpawnBenchmark.spawn", false),
            new Row("ask round trip, ns", "core.AskBenchmark.ask", false));

    private QuickBench() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        if (args.length > 0) {
            System.err.println("myrmex bench quick: takes no arguments (run the suites with ./myrmex bench ARGS)");
            System.exit(2);
        }
        OptionsBuilder o = new OptionsBuilder();
        for (Row r : ROWS) {
            o.include("dev\\.myrmex\\.jmh\\." + r.benchmark().replace(".", "\\.") + "$");
        }
        o.param("impl", IMPLS.toArray(String[]::new)).forks(1).warmupIterations(3).measurementIterations(3)
                .warmupTime(TimeValue.seconds(1)).measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend(BenchMain.jvmFlags().toArray(String[]::new));
        System.out.println(machine());
        System.out.println("running " + ROWS.size() + " benchmarks x " + IMPLS.size() + " implementations, about four"
                + " minutes; keep the machine otherwise idle");
        Collection<RunResult> results = new Runner(o.build()).run();
        System.out.println();
        System.out.println(table(scores(results)));
    }

    /** The machine and JDK the figures are from, as the README names them. */
    static String machine() {
        return String.format(Locale.ROOT, "machine: %d cores, %s %s, JDK %s (%s), %s; command: ./myrmex bench quick",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.version(), System.getProperty("java.vm.vendor"),
                LocalDate.now());
    }

    /** A score and the standard deviation of its iterations. */
    record Score(double score, double error) {
        double relativeError() {
            return Double.isNaN(error) || score == 0 ? 0 : error / score;
        }
    }

    /** The results by row label, then by implementation. */
    static Map<String, Map<String, Score>> scores(Collection<RunResult> results) {
        Map<String, Map<String, Score>> byRow = new LinkedHashMap<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark();
            for (Row row : ROWS) {
                if (method.endsWith(row.benchmark())) {
                    Result<?> p = r.getPrimaryResult();
                    byRow.computeIfAbsent(row.label(), k -> new LinkedHashMap<>())
                            .put(r.getParams().getParam("impl"),
                                    new Score(p.getScore(), p.getStatistics().getStandardDeviation()));
                }
            }
        }
        return byRow;
    }

    /** The table: each implementation's score, the ratios, and a note on every noisy figure. */
    static String table(Map<String, Map<String, Score>> byRow) {
        StringBuilder t = new StringBuilder();
        t.append("| benchmark | handler style | direct style | Pekko | VT + jox | handler vs best peer |"
                + " direct vs best peer |\n|---|---|---|---|---|---|---|\n");
        List<String> noisy = new ArrayList<>();
        for (Row row : ROWS) {
            Map<String, Score> got = byRow.getOrDefault(row.label(), Map.of());
            t.append("| ").append(row.label());
            for (String impl : IMPLS) {
                Score r = got.get(impl);
                t.append(" | ").append(r == null ? "-" : format(r.score()));
                if (r != null && r.relativeError() > NOISY) {
                    noisy.add(String.format(Locale.ROOT, "%s, %s: +-%.0f%%", row.label(), impl,
                            100 * r.relativeError()));
                }
            }
            t.append(" | ").append(ratio(row, got.get("MYRMEX_HANDLER"), best(row, got)));
            t.append(" | ").append(ratio(row, got.get("MYRMEX"), best(row, got))).append(" |\n");
        }
        t.append("\nA ratio above 1 means Myrmex is faster than the best of Pekko and VT + jox in this run (lower time,"
                + " or more messages a second); below 1, slower.\n");
        if (noisy.isEmpty()) {
            t.append("Every figure's iterations are within ").append((int) (NOISY * 100)).append("% of it.\n");
        } else {
            t.append("Too noisy to mean much (the iterations' standard deviation beyond ").append((int) (NOISY * 100))
                    .append("% of the score; close other programs and run again): ")
                    .append(String.join("; ", noisy)).append(".\n");
        }
        return t.toString();
    }

    /** The best peer's score for {@code row}, or null if none ran. */
    static Score best(Row row, Map<String, Score> got) {
        Score best = null;
        for (String peer : PEERS) {
            Score r = got.get(peer);
            if (r != null && (best == null || (row.higherIsBetter() ? r.score() > best.score()
                    : r.score() < best.score()))) {
                best = r;
            }
        }
        return best;
    }

    /** How much faster {@code ours} is than {@code peer}: above 1, ours is faster. */
    static String ratio(Row row, Score ours, Score peer) {
        if (ours == null || peer == null || ours.score() == 0 || peer.score() == 0) {
            return "-";
        }
        double x = row.higherIsBetter() ? ours.score() / peer.score() : peer.score() / ours.score();
        return String.format(Locale.ROOT, "%.2fx", x);
    }

    private static String format(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
