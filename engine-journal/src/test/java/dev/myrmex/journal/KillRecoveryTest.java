package dev.myrmex.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.myrmex.core.journal.Checkpoint;
import dev.myrmex.core.journal.JournalRecord;
import dev.myrmex.journal.internal.RecordCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety, proven with SIGKILL: a child JVM ({@link KillWorkload}) recovers from the journal, works, and is killed
 * at a random moment, {@value #KILLS} times over on the same journal. After every kill:
 * <ul>
 *   <li>every record the journal acknowledged (its append returned) is in it;</li>
 *   <li>no record is damaged (torn) and none appears twice;</li>
 *   <li>every checkpoint in it is byte for byte one the child handed to the journal;</li>
 *   <li>the next child recovers every counter, each from the last checkpoint the journal holds for it.</li>
 * </ul>
 */
class KillRecoveryTest {
    static final int KILLS = 24;

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedRecordSurvivesSigkillAndRecoveryUsesTheLastCheckpoint() throws Exception {
        Path dir = tmp.resolve("journal");
        long seed = Long.getLong("myrmex.kill.seed", System.nanoTime()); // -Dmyrmex.kill.seed=N repeats a run
        Random random = new Random(seed);
        Set<String> written = new HashSet<>(); // checkpoint states handed to the journal, all runs
        Map<String, String> lastCheckpoint = Map.of(); // agent -> state sha, as the journal held it after the last kill
        int recoveredTotal = 0;
        long ackedTotal = 0;
        for (int r = 0; r <= KILLS; r++) {
            int run = r;
            boolean last = run == KILLS;
            Child child = Child.start(dir, "r" + run);
            try {
                List<String> lines = child.readUntilReady();
                String ready = lines.getLast();
                written.addAll(child.writes); // the recovered agents' first checkpoints, if the child got that far
                assertTrue(ready.startsWith("READY"), () -> "run " + run + " printed " + lines);
                assertTrue(ready.endsWith("damaged 0"), ready);
                Map<String, String> recovered = new HashMap<>();
                for (String l : lines) {
                    if (l.startsWith("N ")) {
                        fail(run + ": " + l);
                    }
                    if (l.startsWith("R ")) {
                        String[] p = l.split(" ");
                        recovered.put(p[1], p[2]);
                    }
                }
                assertEquals(lastCheckpoint, recovered, "run " + run + " (seed " + seed + ") recovered each agent "
                        + "from its last checkpoint");
                recoveredTotal += recovered.size();
                if (last) {
                    child.kill();
                    break;
                }
                child.awaitAcks(200 + random.nextInt(2_000));
                child.kill(); // SIGKILL, at a random point of the work
                Set<String> acked = new HashSet<>(child.acks);
                ackedTotal += acked.size();
                written.addAll(child.writes);
                lastCheckpoint = verify(dir, acked, written, "run " + run + " (seed " + seed + ")");
            } finally {
                child.process.destroyForcibly(); // never left running when a check fails
            }
        }
        assertEquals(KILLS * KillWorkload.COUNTERS, recoveredTotal, "every counter came back after every kill");
        System.out.printf("%d kills: %,d acknowledged records checked, %,d checkpoint states written%n", KILLS,
                ackedTotal, written.size());
    }

    /** Reads the journal back and checks it; returns each agent's last checkpoint (as a SHA-256 of its state). */
    private static Map<String, String> verify(Path dir, Set<String> acked, Set<String> written, String run) {
        Map<String, String> last = new HashMap<>();
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        List<String> strangers = new ArrayList<>();
        RecordCodec codec = new RecordCodec();
        try (ChronicleJournal j = ChronicleJournal.openExisting(dir)) {
            j.replay((JournalRecord r) -> {
                if (!seen.add(KillWorkload.digest(codec, r))) {
                    duplicates.add(r.toString());
                }
                if (r instanceof Checkpoint c) {
                    byte[] s = c.state();
                    String sha = KillWorkload.sha(s, s.length);
                    if (!written.contains(sha)) {
                        strangers.add(c.toString());
                    }
                    last.put(c.agent(), sha);
                }
            });
            assertEquals(0, j.damagedRecords(), run + ": damaged (torn) records");
        }
        assertEquals(List.of(), duplicates, run + ": records appearing twice");
        assertEquals(List.of(), strangers, run + ": checkpoints that were never written");
        List<String> missing = acked.stream().filter(a -> !seen.contains(a)).toList();
        assertEquals(List.of(), missing, run + ": acknowledged records missing of " + acked.size());
        assertTrue(acked.size() > 0, run + ": the child acknowledged nothing before the kill");
        return last;
    }

    /**
     * A child JVM running {@link KillWorkload}. Its standard output goes to a file, not a pipe: what the child wrote
     * before SIGKILL is in the file (the page cache) whatever the timing, whereas a pipe's last lines can be lost when
     * the JDK closes the stream at the process's exit. The parent reads the file's complete lines as they come.
     */
    private static final class Child {
        final Process process;
        private final InputStream file;
        private final StringBuilder partial = new StringBuilder();
        private final ArrayDeque<String> ready = new ArrayDeque<>();
        private final byte[] buf = new byte[1 << 16];
        final List<String> acks = new ArrayList<>();
        final List<String> writes = new ArrayList<>();

        private Child(Process process, Path out) throws IOException {
            this.process = process;
            this.file = Files.newInputStream(out);
        }

        static Child start(Path dir, String run) throws IOException {
            List<String> cmd = ChildJvm.command(KillWorkload.class, dir.toString(), run);
            Path out = dir.resolveSibling("child-" + run + ".out");
            Files.deleteIfExists(out);
            Files.createFile(out);
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            return new Child(p, out);
        }

        /** Moves the file's new complete lines to {@code ready}; true if it read anything. */
        private boolean readMore() throws IOException {
            int n = file.read(buf);
            if (n <= 0) {
                return false;
            }
            partial.append(new String(buf, 0, n, StandardCharsets.UTF_8)); // the child writes ASCII only
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                ready.add(partial.substring(0, nl));
                partial.delete(0, nl + 1);
            }
            return true;
        }

        /** The next complete line, or null once the child is dead and its file fully read. */
        private String next() throws IOException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (ready.isEmpty()) {
                if (readMore()) {
                    continue;
                }
                if (!process.isAlive()) {
                    while (readMore()) {
                        // what the child wrote before it died
                    }
                    if (ready.isEmpty()) {
                        return null;
                    }
                    break;
                }
                if (System.nanoTime() > deadline) {
                    fail("the child printed nothing for 120 s");
                }
                LockSupport.parkNanos(1_000_000); // polling the file for the child's next line
            }
            String l = ready.poll();
            if (l.startsWith("A ")) {
                acks.add(l.substring(2));
            } else if (l.startsWith("W ")) {
                writes.add(l.substring(2));
            }
            return l;
        }

        /** The lines other than A and W up to and including READY. */
        List<String> readUntilReady() throws IOException {
            List<String> other = new ArrayList<>();
            String l;
            while ((l = next()) != null) {
                if (!l.startsWith("A ") && !l.startsWith("W ")) {
                    other.add(l);
                    if (l.startsWith("READY")) {
                        return other;
                    }
                }
            }
            other.add("(the child's output ended before READY)");
            return other;
        }

        /** Reads until {@code n} acknowledgements came after READY: the kill then lands in the middle of work. */
        void awaitAcks(int n) throws IOException {
            int start = acks.size();
            while (acks.size() - start < n && next() != null) {
                // next() files the line
            }
        }

        /** SIGKILL (on Linux and macOS), then everything the child wrote before it died. */
        void kill() throws InterruptedException, IOException {
            process.destroyForcibly();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                fail("the child did not die");
            }
            while (next() != null) {
                // next() files the line
            }
            file.close();
        }
    }
}
