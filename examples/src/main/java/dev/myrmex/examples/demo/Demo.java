package dev.myrmex.examples.demo;

import dev.myrmex.admin.AdminConfig;
import dev.myrmex.admin.AdminServer;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.metrics.RuntimeMetrics;
import dev.myrmex.examples.BadArgumentsException;
import dev.myrmex.examples.ExampleArgs;
import dev.myrmex.examples.ExampleFiles;
import dev.myrmex.examples.trading.SwarmOptions;
import dev.myrmex.examples.trading.TradingSwarm;
import dev.myrmex.journal.ChronicleJournal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code ./myrmex demo}: Myrmex doing its main job. The trading swarm (feeds, sharded analyzers that crash on
 * purpose and are restarted by their supervision, a risk quorum, an executor) runs on a runtime that journals to disk
 * and serves its management API; a line each second says what the runtime does (agents, messages a second, restarts,
 * dead letters, journal records), and a closing screen says what ran and how to look deeper.
 *
 * <pre>
 * ./myrmex demo [--seconds 10] [--journal DIR] [--port 0] [--keep]
 * </pre>
 *
 * The journal goes to {@code DIR} (which must be new or empty), by default to {@code myrmex-demo/journal} under the
 * temporary directory, cleared at each run. {@code --keep} keeps the runtime and its API up after the run, until
 * Ctrl-C, so that the closing screen's admin commands can be tried.
 */
public final class Demo {
    /** Seconds further apart than this (fastest over slowest) make the throughput too noisy to mean much. */
    static final double NOISY_SPREAD = 1.5;

    private final Options options;
    private long lastSent;
    private long lastNanos = System.nanoTime();
    private int second;
    private final List<Double> rates = new ArrayList<>(); // messages a second, after the first second

    record Options(int seconds, Path journal, boolean ownJournal, int port, boolean keep) {
        static Options parse(String[] args) {
            int seconds = 10;
            Path journal = null;
            int port = 0;
            boolean keep = false;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--seconds" -> seconds = ExampleArgs.positive("--seconds", value);
                    case "--journal" -> journal = Path.of(ExampleArgs.required("--journal", value));
                    case "--port" -> port = ExampleArgs.port("--port", value);
                    case "--keep" -> {
                        keep = true;
                        continue;
                    }
                    default -> throw new BadArgumentsException("unknown option " + args[i]
                            + " (known: --seconds N, --journal DIR, --port P, --keep)");
                }
                i++;
            }
            boolean own = journal == null;
            return new Options(seconds, own ? Path.of(System.getProperty("java.io.tmpdir"), "myrmex-demo", "journal")
                    : journal, own, port, keep);
        }
    }

    private Demo(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        new Demo(Options.parse(args)).run();
    }

    private void run() throws Exception {
        Path dir = prepare(options);
        try (ChronicleJournal journal = ChronicleJournal.open(dir);
             AgentRuntime rt = AgentRuntime.builder().randomSeed(2026).journal(journal).build()) {
            rt.start();
            try (AdminServer admin = AdminServer.start(rt, AdminConfig.defaults().withPort(options.port()))) {
                String env = "export MYRMEX_ADMIN_URL=" + admin.uri() + " MYRMEX_ADMIN_TOKEN=" + admin.token();
                System.out.println("Myrmex demo: a trading swarm for " + options.seconds() + " s, journalled to "
                        + dir + ", its management API at " + admin.uri());
                System.out.println("  while it runs, in another terminal: " + env + "; ./myrmex admin agents");
                System.out.println();
                lastSent = rt.metrics().messagesSent();
                SwarmOptions swarm = SwarmOptions.parse(new String[] {"--seconds", String.valueOf(options.seconds())});
                TradingSwarm.run(swarm, rt, () -> line(rt));
                rt.flushJournal(Duration.ofSeconds(10));
                closing(rt, swarm, dir, options.keep() ? env : null);
                if (options.keep()) {
                    System.out.println("The runtime and its API stay up (--keep): Ctrl-C stops them.");
                    waitForCtrlC();
                }
            }
        }
    }

    /** The journal directory, made ready: the demo's own is cleared; one given must be new or empty. */
    private static Path prepare(Options o) throws IOException {
        Path dir = o.journal();
        if (o.ownJournal()) {
            ExampleFiles.deleteTree(dir);
        } else if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new BadArgumentsException("--journal " + dir + " is not empty: give a new directory");
                }
            }
        } else if (Files.exists(dir)) {
            throw new BadArgumentsException("--journal " + dir + " is not a directory");
        }
        Files.createDirectories(dir);
        return dir;
    }

    /** The line of each second: what the runtime as a whole is doing. */
    private void line(AgentRuntime rt) {
        RuntimeMetrics m = rt.metrics();
        long now = System.nanoTime();
        double perSecond = (m.messagesSent() - lastSent) / ((now - lastNanos) / 1e9);
        lastSent = m.messagesSent();
        lastNanos = now;
        if (++second > 1) {
            rates.add(perSecond);
        }
        System.out.printf(Locale.ROOT, "  %3d s  agents %3d  messages %,11.0f/s  restarts %,5d  dead letters %,5d"
                        + "  journal records %,7d  health %s%s%n", second, m.agents(), perSecond, m.restarts(),
                m.deadLetters(), m.journal().written(), rt.health().status(), second == 1 ? "  (warming up)" : "");
    }

    /** What ran and where to look next; {@code env} is the export line of an API that stays up, or null. */
    private void closing(AgentRuntime rt, SwarmOptions swarm, Path dir, String env) {
        RuntimeMetrics m = rt.metrics();
        int agents = swarm.feeds() + swarm.analyzers() + swarm.checkers() + 2;
        System.out.println();
        System.out.printf(Locale.ROOT, "What ran: one runtime, %d agents (%d feeds, %d supervised analyzers, %d risk"
                        + " checkers, a risk manager, an executor) on %d carrier threads: %,d messages, %,d restarts"
                        + " by supervision, %,d dead letters (%s), %,d journal records; health %s.%n", agents,
                swarm.feeds(), swarm.analyzers(), swarm.checkers(), m.scheduler().workers(), m.messagesSent(),
                m.restarts(), m.deadLetters(), rt.deadLetters(), m.journal().written(), rt.health().status());
        System.out.println(throughput(rates));
        System.out.println();
        System.out.println("Look deeper:");
        System.out.println("  ./myrmex journal query " + dir + " --type AGENT_RESTARTED --limit 5");
        System.out.println("  ./myrmex journal export " + dir + " --format csv > events.csv");
        String commands = "./myrmex admin agents; ./myrmex admin metrics; ./myrmex admin events --limit 5";
        String scrape = "curl -H \"Authorization: Bearer $MYRMEX_ADMIN_TOKEN\" $MYRMEX_ADMIN_URL/metrics/prometheus";
        if (env != null) {
            System.out.println("  in another terminal: " + env);
            System.out.println("      then " + commands);
            System.out.println("      or   " + scrape);
        } else {
            System.out.println("  ./myrmex demo --keep         keeps the runtime and its management API up after the"
                    + " run; then, with the export line it prints:");
            System.out.println("      " + commands);
            System.out.println("      " + scrape);
        }
        System.out.println("  ./myrmex example             the other examples, one command each");
        System.out.println("  docs/architecture.md         how the pieces fit");
        System.out.flush();
    }

    /**
     * What the per-second figures say, the first second left out (the JIT was still compiling): their median, and
     * whether they varied too much to mean much.
     */
    static String throughput(List<Double> perSecond) {
        if (perSecond.isEmpty()) {
            return "The run was too short for a figure past the first second (warming up): try --seconds 10.";
        }
        List<Double> sorted = perSecond.stream().sorted().toList();
        double median = sorted.get(sorted.size() / 2);
        double spread = sorted.getFirst() > 0 ? sorted.getLast() / sorted.getFirst() : Double.POSITIVE_INFINITY;
        String line = String.format(Locale.ROOT, "Throughput after the first second: a median of %,.0f messages a"
                + " second between agents (%d seconds, %,.0f to %,.0f).", median, sorted.size(), sorted.getFirst(),
                sorted.getLast());
        return spread > NOISY_SPREAD ? line + String.format(Locale.ROOT, " The seconds varied by up to %.0f%%: the"
                + " machine is busy, so take the figure as rough; ./myrmex bench quick measures properly.",
                100 * (spread - 1)) : line;
    }

    private static void waitForCtrlC() throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "myrmex-demo-stop"));
        stopped.await();
    }
}
