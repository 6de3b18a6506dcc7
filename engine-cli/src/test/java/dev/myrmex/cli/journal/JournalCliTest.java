package dev.myrmex.cli.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.cli.MyrmexCli;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.journal.ChronicleJournal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class JournalCliTest {
    @TempDir
    Path tmp;
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void journal() {
        dir = tmp.resolve("j");
        List<JournalEvent> events = new ArrayList<>();
        Instant t = Instant.parse("2026-11-21T10:00:00Z");
        for (int i = 0; i < 50; i++) {
            EventType type = i % 10 == 9 ? EventType.AGENT_FAILED : EventType.AGENT_SPAWNED;
            events.add(new JournalEvent(t.plusSeconds(i), type, type.severity(), "agent-" + i % 5, null, "n" + i));
        }
        try (ChronicleJournal j = ChronicleJournal.open(dir)) {
            j.append(events);
        }
    }

    /** Runs {@code myrmex journal ARGS} through the launcher, as {@code ./myrmex journal} does. */
    private int run(String... args) {
        CommandLine cl = MyrmexCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] line = new String[args.length + 1];
        line[0] = "journal";
        System.arraycopy(args, 0, line, 1, args.length);
        return cl.execute(line);
    }

    @Test
    void queryFiltersAndComesNewestFirst() {
        assertEquals(0, run("query", dir.toString(), "--severity", "ERROR", "--limit", "3"));
        List<String> lines = out.toString().lines().toList();
        assertEquals(3, lines.size(), out.toString());
        assertTrue(lines.get(0).startsWith("2026-11-21T10:00:49Z ERROR AGENT_FAILED agent-4: n49"), lines.get(0));
        assertTrue(lines.get(2).contains(": n29"), lines.get(2));
    }

    @Test
    void tailPrintsTheNewestOldestFirst() {
        assertEquals(0, run("tail", dir.toString(), "-n", "2", "--agent", "agent-0"));
        assertEquals(List.of("2026-11-21T10:00:40Z DEBUG AGENT_SPAWNED agent-0: n40",
                "2026-11-21T10:00:45Z DEBUG AGENT_SPAWNED agent-0: n45"), out.toString().lines().toList());
    }

    @Test
    void exportWritesTheFileAndSaysHowMany() throws Exception {
        Path csv = tmp.resolve("out.csv");
        assertEquals(0, run("export", dir.toString(), "--format", "csv", "--out", csv.toString(), "--type",
                "AGENT_FAILED", "--since", "2026-11-21T10:00:20Z"));
        List<String> rows = Files.readAllLines(csv);
        assertEquals(4, rows.size(), rows::toString); // the header and n29, n39, n49
        assertTrue(err.toString().contains("exported 3 events"), err.toString());
    }

    @Test
    void verifyCountsRecords() {
        assertEquals(0, run("verify", dir.toString()));
        assertTrue(out.toString().contains("50 events, 0 checkpoints, 0 records lost"), out.toString());
    }

    /** A deleted data file used to read back as an empty, undamaged journal, and verify said 0 damaged records. */
    @Test
    void verifySaysWhatADeletedDataFileLostAndExitsOne() throws Exception {
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".cq4")).toList()) {
                Files.delete(f);
            }
        }
        assertEquals(1, run("verify", dir.toString()));
        assertTrue(out.toString().contains("0 events, 0 checkpoints, 50 records lost")
                && out.toString().contains("lost: 50 records (#0 to #49) unreadable from #0 to the end")
                && out.toString().contains("myrmex journal repair " + dir), out.toString());
        assertEquals(1, run("query", dir.toString()), "every reading command says so");
        assertTrue(err.toString().contains("is damaged: 50 records lost"), err.toString());
    }

    @Test
    void badInputGetsAClearMessageAndExitCode() throws Exception {
        Path stranger = Files.createDirectories(tmp.resolve("stranger"));
        Files.writeString(stranger.resolve("x.txt"), "x");
        assertEquals(3, run("query", stranger.toString()));
        assertTrue(err.toString().contains("not a Myrmex journal"), err.toString());
        assertEquals(3, run("tail", tmp.resolve("missing").toString()));
        assertTrue(err.toString().contains("no such directory"), err.toString());
        assertEquals(2, run("query", dir.toString(), "--since", "yesterday"));
        assertTrue(err.toString().contains("--since takes"), err.toString());
        assertEquals(2, run("export", dir.toString(), "--format", "xml"));
        assertEquals(2, run("query", dir.toString(), "--limit", "20000"));
        assertTrue(err.toString().contains("between 1 and 10000"), err.toString());
        assertEquals(2, run("query", dir.toString(), "--severity", "LOUD"));
        assertEquals(2, run());
    }

    /** Moved from engine-journal's RepairTest: a repair refused while a writer holds the journal exits 4. */
    @Test
    void aRepairOfAJournalInUseExitsFour() {
        try (ChronicleJournal writer = ChronicleJournal.open(dir)) {
            assertEquals(4, run("repair", dir.toString()), "exit code 4: in use");
            assertTrue(err.toString().contains("is in use by this process"), err.toString());
            assertTrue(writer.toString().contains(dir.toString()));
        }
    }

    /** Moved from engine-journal's JournalLockTest: readers take no lock, so verify reads what a writer holds. */
    @Test
    void verifyReadsWhileAWriterHoldsTheJournal() {
        try (ChronicleJournal writer = ChronicleJournal.open(dir)) {
            assertEquals(0, run("verify", dir.toString()), "the tool reads while the writer writes");
            assertTrue(writer.toString().contains(dir.toString()));
        }
    }

    /** Moved from engine-journal's JournalLockTest: garbled queue metadata is damage, exit 1, said on stderr. */
    @Test
    void verifyOfGarbledMetadataExitsOneAndSaysWhy() throws Exception {
        Path metadata = dir.resolve("metadata.cq4t");
        byte[] garbage = new byte[(int) Files.size(metadata)];
        new Random(8).nextBytes(garbage);
        Files.write(metadata, garbage);
        assertEquals(1, run("verify", dir.toString()), "damage: exit 1");
        assertTrue(err.toString().contains("not Chronicle Queue's metadata"), err.toString());
    }

    /** Moved from engine-journal's RepairTest: repair prints the library's report and exits 0. */
    @Test
    void repairPrintsWhatItKept() throws Exception {
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".cq4")).toList()) {
                Files.delete(f);
            }
        }
        assertEquals(0, run("repair", dir.toString()), err::toString);
        assertTrue(out.toString().contains("repaired: kept 0 records; 50 records lost"), out.toString());
        assertEquals(0, run("verify", dir.toString()), "repaired: " + out);
    }

    @Test
    void anAgeIsAcceptedForSince() {
        assertEquals(0, run("query", dir.toString(), "--since", "15m"));
        assertEquals("", out.toString(), "the journal's events are older than 15 minutes");
        Instant before = Instant.now().minusSeconds(3 * 86_400 + 5);
        Instant since = JournalCli.Filters.parseSince("3d");
        assertTrue(since.isAfter(before) && since.isBefore(Instant.now()), since::toString);
    }
}
