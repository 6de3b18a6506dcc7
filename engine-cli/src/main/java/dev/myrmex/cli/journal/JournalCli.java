package dev.myrmex.cli.journal;

import dev.myrmex.cli.common.Conventions;
import dev.myrmex.core.journal.Checkpoint;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventJournal;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalException;
import dev.myrmex.core.journal.Severity;
import dev.myrmex.core.time.RuntimeClock;
import dev.myrmex.journal.ChronicleJournal;
import dev.myrmex.journal.JournalDamage;
import dev.myrmex.journal.JournalDamagedException;
import dev.myrmex.journal.JournalLockedException;
import dev.myrmex.journal.JournalRepair;
import dev.myrmex.journal.export.EventExporter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code myrmex journal}: reads a journal directory from the command line. {@code ./myrmex journal ARGS} runs it,
 * through the launcher of every tool, {@link dev.myrmex.cli.MyrmexCli}.
 *
 * <pre>
 * myrmex journal tail   DIR [-n 20] [-f]                 the newest events, oldest of them first; -f follows
 * myrmex journal query  DIR [filters] [--limit 100]      newest first, at most 10,000
 * myrmex journal export DIR --format jsonl|csv|json [--out FILE] [filters]   streamed, oldest first
 * myrmex journal verify DIR                             reads every record; says what is lost; exit 1 if any
 * myrmex journal repair DIR                             moves damaged files aside, keeping every readable record
 * filters: --type T (repeatable) --agent A --task T --severity S --since 2026-11-21T10:00:00Z or 15m, 2h, 3d
 * </pre>
 *
 * Exit codes: 0 done, 1 damage found (every command that reads says what is lost, on standard error; verify on
 * standard output), 2 bad arguments, 3 the directory is not a journal it can read, 4 the journal is in use by a
 * writer (repair).
 */
@Command(name = "journal", mixinStandardHelpOptions = true,
        description = "Tails, queries, exports and verifies a Myrmex journal directory.",
        subcommands = {JournalCli.Tail.class, JournalCli.Query.class, JournalCli.Export.class, JournalCli.Verify.class,
                JournalCli.Repair.class})
public final class JournalCli implements Runnable {
    /** Exit code: damage found. */
    static final int DAMAGED = 1;
    /** Exit code: the directory is not a journal this build can read. */
    static final int NOT_READABLE = 3;
    /** Exit code: a writer holds the journal. */
    static final int IN_USE = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a command: tail, query, export, verify or repair");
    }

    /** The command line, with our exit codes for journal errors: for the launcher and for tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new JournalCli());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof JournalException || e instanceof IllegalArgumentException) {
                line.getErr().println("myrmex-journal: " + e.getMessage());
                return e instanceof JournalDamagedException ? DAMAGED : e instanceof JournalLockedException ? IN_USE
                        : e instanceof JournalException ? NOT_READABLE : CommandLine.ExitCode.USAGE;
            }
            throw e;
        });
        return Conventions.apply(cl, "myrmex journal");
    }

    /** The filter options every reading command shares (a picocli mixin). */
    static final class Filters {
        @Option(names = "--type", description = "an event type (repeatable): ${COMPLETION-CANDIDATES}")
        List<EventType> types = List.of();
        @Option(names = "--agent", description = "the agent's name")
        String agent;
        @Option(names = "--task", description = "the task's id")
        String task;
        @Option(names = "--severity", description = "the least severity: ${COMPLETION-CANDIDATES}")
        Severity severity = Severity.DEBUG;
        @Option(names = "--since", description = "an ISO-8601 instant, or an age such as 90s, 15m, 2h, 3d")
        String since;

        EventFilter filter() {
            EventFilter f = new EventFilter(Set.copyOf(types), agent, task, severity, null);
            return since == null ? f : f.since(parseSince(since));
        }

        static Instant parseSince(String s) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException notAnInstant) {
                java.util.regex.Matcher m = AGE.matcher(s.trim());
                if (!m.matches()) {
                    throw new IllegalArgumentException("--since takes an instant such as 2026-11-21T10:00:00Z or an "
                            + "age such as 90s, 15m, 2h, 3d: '" + s + "'");
                }
                long n = Long.parseLong(m.group(1));
                Duration age = switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
                return RuntimeClock.system().instant().minus(age);
            }
        }

        private static final java.util.regex.Pattern AGE = java.util.regex.Pattern.compile("(\\d{1,9})([smhd])");
    }

    static String line(JournalEvent e) {
        return e.time() + " " + e.severity() + " " + e.type() + (e.agent() == null ? "" : " " + e.agent())
                + (e.task() == null ? "" : " task=" + e.task()) + (e.details().isEmpty() ? "" : ": " + e.details());
    }

    /** What every command shares: the journal directory, and picocli's model of the command. */
    abstract static class OnJournal implements Callable<Integer> {
        @Parameters(index = "0", description = "the journal directory")
        Path dir;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
    }

    /**
     * What every reading command shares: the journal, opened for reading, and the exit code, 1 if a read found damage
     * (said on standard error).
     */
    abstract static class JournalCommand extends OnJournal {
        @Override
        public final Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            try (ChronicleJournal j = ChronicleJournal.openExisting(dir)) {
                read(j, out);
                out.flush();
                JournalDamage damage = j.damage();
                if (damage.damaged() && !(this instanceof Verify)) {
                    spec.commandLine().getErr().println("myrmex-journal: " + dir + " is damaged: " + damage.summary()
                            + "; `myrmex journal verify` reads all of it, `repair` mends it");
                }
                return damage.damaged() ? DAMAGED : 0;
            }
        }

        /** The command's work on the open journal; {@code out} is standard output. */
        abstract void read(ChronicleJournal j, PrintWriter out) throws IOException;
    }

    @Command(name = "tail", description = "The newest events, oldest of them first; with -f, then those that follow.")
    static final class Tail extends JournalCommand {
        @Option(names = "-n", description = "how many (1..10000, default 20)")
        int n = 20;
        @Option(names = {"-f", "--follow"}, description = "keep printing new events until interrupted")
        boolean follow;
        @CommandLine.Mixin
        Filters filters;

        @Override
        void read(ChronicleJournal j, PrintWriter out) {
            EventFilter f = filters.filter();
            j.query(f, EventJournal.checkLimit(n)).reversed().forEach(e -> out.println(line(e)));
            out.flush();
            if (follow) {
                j.follow(f, e -> {
                    out.println(line(e));
                    out.flush();
                }, () -> Thread.currentThread().isInterrupted(), () -> LockSupport.parkNanos(50_000_000));
            }
        }
    }

    @Command(name = "query", description = "Events that pass the filters, newest first.")
    static final class Query extends JournalCommand {
        @Option(names = "--limit", description = "at most this many (1..10000, default 100)")
        int limit = 100;
        @CommandLine.Mixin
        Filters filters;

        @Override
        void read(ChronicleJournal j, PrintWriter out) {
            j.query(filters.filter(), limit).forEach(e -> out.println(line(e)));
        }
    }

    @Command(name = "export", description = "Events that pass the filters, oldest first, as jsonl, csv or json.")
    static final class Export extends JournalCommand {
        @Option(names = "--format", required = true, description = "jsonl, csv or json")
        String format;
        @Option(names = {"-o", "--out"}, description = "the file to write (default: standard output)")
        Path outFile;
        @CommandLine.Mixin
        Filters filters;

        @Override
        void read(ChronicleJournal j, PrintWriter ignored) throws IOException {
            EventExporter.Format f = EventExporter.Format.parse(format);
            try (OutputStream out = new BufferedOutputStream(outFile == null ? System.out
                    : Files.newOutputStream(outFile), 1 << 16)) {
                long n = EventExporter.export(j, filters.filter(), f, out);
                out.flush();
                spec.commandLine().getErr().println("exported " + n + " events"
                        + (j.damagedRecords() > 0 ? "; " + j.damagedRecords() + " records lost to damage" : ""));
            }
        }
    }

    @Command(name = "verify", description = "Reads every record; says what is lost; exit 1 if anything is.")
    static final class Verify extends JournalCommand {
        @Override
        void read(ChronicleJournal j, PrintWriter out) {
            long[] events = {0};
            long[] checkpoints = {0};
            j.replay(r -> {
                if (r instanceof Checkpoint) {
                    checkpoints[0]++;
                } else {
                    events[0]++; // a task submission is an event too, as every query shows it
                }
            });
            JournalDamage d = j.damage();
            out.printf("%s: %d events, %d checkpoints, %d records lost%n", dir, events[0], checkpoints[0],
                    d.lostRecords());
            for (JournalDamage.Loss l : d.losses()) {
                out.println("  lost: " + l);
            }
            if (d.damagedDocuments() > 0) {
                out.println("  " + d.damagedDocuments() + " excerpts fail their checksum");
            }
            for (String p : d.problems()) {
                out.println("  damaged: " + p);
            }
            if (d.damaged()) {
                out.println("run `myrmex journal repair " + dir + "` to move the damaged files aside and keep every"
                        + " readable record");
            }
        }
    }

    @Command(name = "repair", description = "Moves a damaged journal's files aside, keeping every readable record.")
    static final class Repair extends OnJournal {
        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.println(JournalRepair.repair(dir).summary());
            out.flush();
            return 0;
        }
    }
}
