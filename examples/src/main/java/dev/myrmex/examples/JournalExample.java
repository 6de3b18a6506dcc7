package dev.myrmex.examples;

import dev.myrmex.core.AgentContext;
import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.Message;
import dev.myrmex.core.MessageHandler;
import dev.myrmex.core.Request;
import dev.myrmex.core.Val;
import dev.myrmex.core.codec.ValueCodec;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalSettings;
import dev.myrmex.core.journal.Severity;
import dev.myrmex.core.recovery.AgentFactory;
import dev.myrmex.core.recovery.Checkpointable;
import dev.myrmex.core.recovery.RecoveryReport;
import dev.myrmex.journal.ChronicleJournal;
import dev.myrmex.journal.export.EventExporter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The journal at work: accounts that survive a {@code kill -9}.
 *
 * <pre>
 * ./myrmex example journal [--dir DIR] [--accounts 5]
 * ./myrmex journal query DIR --limit 20        # then look at what happened
 * </pre>
 *
 * A child JVM runs a runtime on a {@link ChronicleJournal} in {@code DIR} (a new temporary directory by default) with
 * recoverable account agents, made by an {@link AgentFactory} registered as {@code "account"} whose balance is the
 * checkpointed state. It deposits, checkpoints every account ({@code checkpointNow}), prints the balances it
 * checkpointed, and goes on depositing until this process kills it with SIGKILL. This process then starts a runtime on
 * the same journal with the same factory: {@code start()} brings every account back from its last checkpoint and
 * {@code recovery()} says what came back. It checks each balance against the checkpointed one (deposits after the
 * last checkpoint are gone: a checkpoint is a snapshot, not a replay of messages), prints the newest events, and
 * exports the whole journal as JSON lines.
 */
public final class JournalExample {
    private JournalExample() {
    }

    /** What an account takes. */
    sealed interface AccountMsg extends Val permits Deposit, Balance {
    }

    record Deposit(long amount) implements AccountMsg {
    }

    record Balance() implements AccountMsg, Request<AccountMsg, Amount> {
    }

    record Amount(long value) implements Val {
    }

    /** An account: its balance is its state, checkpointed between messages. */
    static final class Account implements MessageHandler<AccountMsg>, Checkpointable<Long> {
        private long balance;

        Account(Long restored) {
            balance = restored == null ? 0 : restored;
        }

        @Override
        public void handle(AgentContext<AccountMsg> ctx, Message<AccountMsg> m) {
            switch (m.payload()) {
                case Deposit d -> balance += d.amount();
                case Balance b -> ctx.reply(b, new Amount(balance));
            }
        }

        @Override
        public Long checkpoint() {
            return balance;
        }
    }

    static final AgentFactory<AccountMsg, Long> ACCOUNTS = AgentFactory.of(ValueCodec.int64("account-balance-v1"),
            (name, balance) -> Behaviors.nonBlocking(new Account(balance)));

    private static final String CHECKPOINTED = "checkpointed ";
    private static final String DEPOSITING = "depositing until killed";
    private static final Duration WAIT = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        Path dir = null;
        int accounts = 5;
        boolean child = false;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--dir" -> dir = Path.of(ExampleArgs.required("--dir", value));
                case "--accounts" -> accounts = ExampleArgs.positive("--accounts", value);
                case "--child" -> child = true;
                default -> throw new BadArgumentsException("unknown option " + args[i]
                        + " (known: --dir DIR, --accounts N)");
            }
            if (!args[i].equals("--child")) {
                i++;
            }
        }
        Path temporary = dir == null && !child ? Files.createTempDirectory("myrmex-journal-example") : null;
        if (temporary != null) {
            dir = temporary.resolve("journal");
        }
        if (child) {
            deposit(dir, accounts);
            return;
        }
        Map<String, Long> checkpointed = crashAChild(dir, accounts);
        recover(dir, checkpointed);
        if (temporary == null) {
            System.out.println("the journal stays in " + dir + ": ./myrmex journal query " + dir + " --limit 20");
        } else {
            ExampleFiles.deleteTree(temporary);
            System.out.println("removed the temporary journal " + temporary + " (with --dir DIR it stays, for"
                    + " ./myrmex journal query DIR)");
        }
    }

    /** The child: deposits, checkpoints, says what it checkpointed, and deposits on until it is killed. */
    private static void deposit(Path dir, int accounts) throws Exception {
        ChronicleJournal journal = ChronicleJournal.open(dir);
        // DEBUG: this example shows every agent's life, and spawns and normal ends are DEBUG events
        AgentRuntime rt = AgentRuntime.builder().journal(journal)
                .journalSettings(JournalSettings.DEFAULTS.withSeverity(Severity.DEBUG))
                .factory("account", ACCOUNTS).build();
        rt.start();
        List<AgentHandle<AccountMsg>> all = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            all.add(rt.spawn("account-" + i, ACCOUNTS));
        }
        for (int i = 0; i < accounts; i++) {
            for (int d = 1; d <= 100 * (i + 1); d++) {
                send(all.get(i), new Deposit(d));
            }
        }
        // An ask queues behind the deposits, so its answer counts them all. A checkpoint is a snapshot of the state
        // when it is taken, not after the mailbox drains: take it once nothing is queued, and it holds these balances.
        Map<String, Long> balances = new HashMap<>();
        for (AgentHandle<AccountMsg> a : all) {
            balances.put(a.name(), a.ref().ask(new Balance(), WAIT).get().value());
        }
        if (!rt.checkpointNow(WAIT)) {
            throw new IllegalStateException("the checkpoints were not journalled within " + WAIT);
        }
        for (AgentHandle<AccountMsg> a : all) {
            System.out.println(CHECKPOINTED + a.name() + " " + balances.get(a.name()));
        }
        System.out.println(DEPOSITING);
        System.out.flush();
        for (long n = 0; ; n++) { // lost at the kill: none of this reaches a checkpoint
            send(all.get((int) (n % accounts)), new Deposit(1));
        }
    }

    private static void send(AgentHandle<AccountMsg> account, Deposit d) {
        while (!account.ref().signal(d)) { // the mailbox is full: wait for room (backpressure)
            Thread.onSpinWait();
        }
    }

    /** Runs the child in a JVM of its own, reads what it checkpointed, and kills it with SIGKILL. */
    private static Map<String, Long> crashAChild(Path dir, int accounts) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments()); // the same JVM flags
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), JournalExample.class.getName(),
                "--child", "--dir", dir.toString(), "--accounts", Integer.toString(accounts)));
        System.out.println("journal: " + dir);
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, Long> checkpointed = new HashMap<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null && !line.equals(DEPOSITING); line = out.readLine()) {
                if (line.startsWith(CHECKPOINTED)) {
                    String[] parts = line.substring(CHECKPOINTED.length()).split(" ");
                    checkpointed.put(parts[0], Long.parseLong(parts[1]));
                }
            }
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint, no flush
            if (!p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("the child did not die");
            }
        }
        if (checkpointed.size() != accounts) {
            throw new IllegalStateException("the child checkpointed " + checkpointed.size() + " of " + accounts
                    + " accounts before it ended (exit " + p.exitValue() + ")");
        }
        System.out.println("child checkpointed " + accounts + " accounts, deposited on, and was killed with SIGKILL");
        return checkpointed;
    }

    /** A new runtime on the same journal: recovery, a check of every balance, a query, and an export. */
    private static void recover(Path dir, Map<String, Long> checkpointed) throws Exception {
        try (ChronicleJournal journal = ChronicleJournal.open(dir);
             AgentRuntime rt = AgentRuntime.builder().journal(journal)
                     .journalSettings(JournalSettings.DEFAULTS.withSeverity(Severity.DEBUG))
                     .factory("account", ACCOUNTS).build()) {
            rt.start(); // reads the journal and brings back every account that was running
            RecoveryReport report = rt.recovery();
            System.out.println(report);
            int matching = 0;
            for (RecoveryReport.Recovered r : report.recovered()) {
                long balance = account(rt, r.agent()).ref().ask(new Balance(), WAIT).get().value();
                long expected = checkpointed.getOrDefault(r.agent(), -1L);
                matching += balance == expected ? 1 : 0;
                System.out.printf("  %s: balance %,d from the checkpoint of %s (checkpointed %,d)%n", r.agent(),
                        balance, r.from().time(), expected);
            }
            System.out.printf("balances as checkpointed: %d of %d%n", matching, checkpointed.size());

            rt.flushJournal(WAIT);
            System.out.println("newest events:");
            for (JournalEvent e : rt.journal().query(EventFilter.ALL, 5)) {
                System.out.println("  " + e.time() + " " + e.type() + " " + e.agent() + " " + e.details());
            }
            Path export = dir.resolveSibling(dir.getFileName() + "-events.jsonl");
            long exported;
            try (OutputStream out = Files.newOutputStream(export)) {
                exported = EventExporter.export(journal, EventFilter.ALL, EventExporter.Format.JSONL, out);
            }
            System.out.printf("exported %,d events to %s%n", exported, export);
        }
    }

    @SuppressWarnings("unchecked") // every agent the "account" factory makes takes AccountMsg
    private static AgentHandle<AccountMsg> account(AgentRuntime rt, String name) {
        return (AgentHandle<AccountMsg>) rt.lookup(name).orElseThrow();
    }
}
