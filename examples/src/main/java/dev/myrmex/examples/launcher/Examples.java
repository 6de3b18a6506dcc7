package dev.myrmex.examples.launcher;

import dev.myrmex.examples.BadArgumentsException;
import dev.myrmex.examples.JournalExample;
import dev.myrmex.examples.PingPongExample;
import dev.myrmex.examples.PipelineExample;
import dev.myrmex.examples.PoliciesExample;
import dev.myrmex.examples.SchedulerDemo;
import dev.myrmex.examples.SupervisionExample;
import dev.myrmex.examples.consensus.QuorumConsensus;
import dev.myrmex.examples.demo.Demo;
import dev.myrmex.examples.sandbox.SandboxedParser;
import dev.myrmex.examples.tasks.TaskDagExample;
import dev.myrmex.examples.trading.TradingSwarm;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The examples' one entry point, what {@code ./myrmex example NAME [ARGS]} and {@code ./myrmex demo} run: it finds the
 * example by name and runs it. {@code --help} (or {@code -h}) anywhere prints the example's usage and exits 0; bad
 * arguments print one line naming the problem and exit 2, an unknown name too; an example that fails exits 1.
 *
 * <pre>
 * java @examples.args -cp ... dev.myrmex.examples.launcher.Examples ping-pong 100000
 * </pre>
 */
public final class Examples {
    /** Bad arguments, as for every Myrmex command. */
    public static final int USAGE = 2;

    /** An example's main method. */
    @FunctionalInterface
    interface Main {
        void run(String[] args) throws Exception;
    }

    /**
     * One example.
     *
     * @param usage   its arguments, as {@code --help} shows them after its name
     * @param summary what it shows, one line
     * @param maxArgs the most arguments it takes, or -1 if it checks them itself
     */
    record Example(String name, String usage, String summary, int maxArgs, Main main) {
    }

    /** Every example, in the order {@code --help} lists them. */
    static final Map<String, Example> ALL = table(
            new Example("demo", "[--seconds 10] [--journal DIR] [--port 0] [--keep]",
                    "the trading swarm with supervision, the journal and the management API: a line a second",
                    -1, Demo::main),
            new Example("scheduler", "[--workers N] [--ring N] [--hops N] [--spawn N]",
                    "our work-stealing scheduler against the JDK's on a ring of virtual threads and a spawn storm",
                    -1, SchedulerDemo::main),
            new Example("ping-pong", "[HITS]",
                    "two agents bounce a ball, in the direct and the handler style: time per hop",
                    1, PingPongExample::main),
            new Example("pipeline", "[LINES]",
                    "parse, enrich and total trade lines through small mailboxes: backpressure, no loss",
                    1, PipelineExample::main),
            new Example("supervision", "[--seconds 10] [--workers 16] [--metrics-port 9400]",
                    "workers crash on purpose and are restarted while messages flow; Prometheus metrics",
                    -1, SupervisionExample::main),
            new Example("policies", "[--seconds N] [--rate R]",
                    "priority, fair share and rate limits, each beside the same load without them",
                    -1, PoliciesExample::main),
            new Example("journal", "[--dir DIR] [--accounts 5]",
                    "accounts that survive a kill -9: journal, checkpoints and recovery",
                    -1, JournalExample::main),
            new Example("trading-swarm",
                    "[--seconds 10] [--feeds 4] [--symbols 200] [--analyzers 16] [--checkers 5] [--rate 200000]"
                            + " [--crash-every 250]",
                    "feeds, sharded analyzers and a risk quorum trading while analyzers crash",
                    -1, TradingSwarm::main),
            new Example("quorum-consensus",
                    "[--nodes 10] [--rounds 12] [--byzantine 2] [--slow 1] [--timeout-ms 20]",
                    "rounds of quorum decisions on a mesh with lying and slow nodes, spread by gossip",
                    -1, QuorumConsensus::main),
            new Example("sandbox", "",
                    "an untrusted parser in a child JVM under OS limits, crashed and restarted",
                    0, SandboxedParser::main),
            new Example("tasks", "",
                    "a DAG of tasks with progress, a retry, a timeout and a cascade",
                    0, TaskDagExample::main));

    private Examples() {
    }

    private static Map<String, Example> table(Example... examples) {
        Map<String, Example> all = new LinkedHashMap<>();
        for (Example e : examples) {
            all.put(e.name(), e);
        }
        return all;
    }

    public static void main(String[] args) throws Exception {
        int exit = run(args, System.out, System.err);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    /**
     * Runs the example {@code args[0]} names with the arguments that follow, or prints help.
     *
     * @return the exit code: 0 done, 1 the example failed (its exception propagates instead), 2 bad arguments
     */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0 || isHelp(args[0])) {
            out.println("usage: ./myrmex example NAME [ARGS]   (NAME --help: its arguments)");
            ALL.values().forEach(e -> out.printf("  %-17s %s%n", e.name(), e.summary()));
            return args.length == 0 ? USAGE : 0;
        }
        Example e = ALL.get(args[0]);
        if (e == null) {
            err.println("myrmex example: unknown example '" + args[0] + "' (known: " + String.join(", ", ALL.keySet())
                    + ")");
            return USAGE;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (Arrays.stream(rest).anyMatch(Examples::isHelp)) {
            out.println("usage: ./myrmex example " + e.name() + (e.usage().isEmpty() ? "" : " " + e.usage()));
            out.println("  " + e.summary());
            return 0;
        }
        if (e.maxArgs() >= 0 && rest.length > e.maxArgs()) {
            err.println("myrmex example " + e.name() + ": " + (e.maxArgs() == 0 ? "takes no arguments"
                    : "takes at most " + e.maxArgs() + " argument" + (e.maxArgs() == 1 ? "" : "s")) + ", got "
                    + List.of(rest) + " (usage: " + (e.name() + " " + e.usage()).strip() + ")");
            return USAGE;
        }
        try {
            e.main().run(rest);
        } catch (BadArgumentsException bad) {
            err.println("myrmex example " + e.name() + ": " + bad.getMessage() + " (usage: " + e.name() + " "
                    + e.usage() + ")");
            return USAGE;
        }
        return 0;
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h") || arg.equals("help");
    }
}
