package dev.myrmex.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.coord.Lease;
import dev.myrmex.core.coord.LeaseManager;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fencing tokens on a Chronicle journal: a runtime opened on the journal after another one stopped, or after one was
 * killed with SIGKILL in the middle of granting leases, hands out only tokens above every token handed out before.
 * (The same with an in-memory journal, and the ordering that makes it so: engine-core's {@code LeaseTokensTest}.)
 */
class LeaseTokensOnDiskTest {
    private static final Duration TTL = Duration.ofMinutes(1);
    private static final Duration WATCHDOG = Duration.ofSeconds(120);
    private static final int KILLS = 6;

    @TempDir
    Path tmp;

    @Test
    void tokensAfterARestartAreAboveEveryTokenBefore() throws Exception {
        Path dir = tmp.resolve("journal");
        long before = 0;
        try (ChronicleJournal journal = ChronicleJournal.open(dir);
             AgentRuntime rt = AgentRuntime.builder().workers(1).journal(journal).build()) {
            rt.start();
            LeaseManager leases = LeaseManager.of(rt);
            for (int i = 0; i < 1_500; i++) { // past the first block of 1,024: a second reservation
                Lease l = leases.tryAcquire(i % 2 == 0 ? "db" : "cache", TTL).orElseThrow();
                assertTrue(l.token() > before, l.token() + " after " + before);
                before = l.token();
                leases.release(l);
            }
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir);
             AgentRuntime rt = AgentRuntime.builder().workers(1).journal(journal).build()) {
            rt.start();
            long after = LeaseManager.of(rt).tryAcquire("db", TTL).orElseThrow().token();
            assertTrue(after > before, "after the restart " + after + ", before it up to " + before);
            assertTrue(rt.flushJournal(WATCHDOG));
            List<Long> marks = journal.query(EventFilter.ALL.types(EventType.LEASE_TOKENS_RESERVED), 10).reversed()
                    .stream().map(JournalEvent::details).map(d -> Long.parseLong(d.substring("up to ".length())))
                    .toList();
            assertEquals(List.of(1_024L, 2_048L, 3_072L), marks,
                    "two reservations in the first run, one in the second");
        }
    }

    @Test
    void noTokenHandedOutBeforeASigkillIsHandedOutAgain() throws Exception {
        Path dir = tmp.resolve("journal");
        long seed = Long.getLong("myrmex.kill.seed", System.nanoTime()); // -Dmyrmex.kill.seed=N repeats a run
        Random random = new Random(seed);
        long highest = 0;
        long seen = 0;
        for (int run = 0; run < KILLS; run++) {
            Path out = tmp.resolve("child-" + run + ".out");
            Process child = new ProcessBuilder(ChildJvm.command(LeaseKillWorkload.class, dir.toString()))
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            List<Long> tokens;
            try {
                int before = 1 + random.nextInt(3_000); // kills before and after a block's end (1,024, 2,048)
                waitForLines(child, out, before);
                child.destroyForcibly(); // SIGKILL, in the middle of granting
                if (!child.waitFor(WATCHDOG.toSeconds(), TimeUnit.SECONDS)) {
                    fail("the child did not die");
                }
                tokens = tokens(out);
            } finally {
                child.destroyForcibly(); // never left running when a check fails
            }
            String where = "run " + run + " (seed " + seed + ")";
            assertTrue(tokens.size() > 0, where + ": no token before the kill");
            assertTrue(tokens.getFirst() > highest, where + " began at " + tokens.getFirst()
                    + ", though a run before it had handed out " + highest);
            for (int i = 1; i < tokens.size(); i++) {
                assertTrue(tokens.get(i) > tokens.get(i - 1), where + ": " + tokens.get(i) + " after "
                        + tokens.get(i - 1));
            }
            highest = tokens.getLast();
            seen += tokens.size();
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir);
             AgentRuntime rt = AgentRuntime.builder().workers(1).journal(journal).build()) {
            rt.start();
            long next = LeaseManager.of(rt).tryAcquire("db", TTL).orElseThrow().token();
            assertTrue(next > highest, "after " + KILLS + " kills: " + next + ", handed out before up to " + highest);
        }
        System.out.printf("%d kills, %,d tokens handed out, all above the runs' before them%n", KILLS, seen);
    }

    /** Waits until the child has printed {@code n} complete lines (polling its file), or has died. */
    private static void waitForLines(Process child, Path out, int n) throws IOException {
        long deadline = System.nanoTime() + WATCHDOG.toNanos();
        while (tokens(out).size() < n) {
            if (!child.isAlive()) {
                fail("the child died after printing " + tokens(out).size() + " tokens (exit " + child.exitValue()
                        + ")");
            }
            if (System.nanoTime() - deadline > 0) {
                fail("the child printed " + tokens(out).size() + " of " + n + " tokens in " + WATCHDOG);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // polling the file for the child's next lines
        }
    }

    /** The tokens in the child's file: its complete lines (one cut off by the kill is left out). */
    private static List<Long> tokens(Path out) throws IOException {
        String text = Files.readString(out, StandardCharsets.US_ASCII);
        List<Long> tokens = new ArrayList<>();
        int start = 0;
        for (int nl; (nl = text.indexOf('\n', start)) >= 0; start = nl + 1) {
            tokens.add(Long.parseLong(text.substring(start, nl)));
        }
        return tokens;
    }
}
