package dev.myrmex.journal;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalException;
import dev.myrmex.core.journal.JournalRecord;
import dev.myrmex.core.journal.JournalSettings;
import dev.myrmex.core.journal.Severity;
import dev.myrmex.core.metrics.HealthReport;
import dev.myrmex.core.metrics.JournalMetrics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal on a disk that fills up, or that cannot be written: every acknowledgement given is honoured, and the first
 * one that cannot be is refused with the cause, on a real file system (a small tmpfs; a read-only mount).
 */
class DiskFaultTest {

    @TempDir
    Path tmp;

    /**
     * A runtime fills its journal's disk: each submission is acknowledged by a flush that returns true, until one
     * throws; every acknowledged event is in the journal afterwards, and the runtime says it is DOWN.
     */
    @Test
    void onAFullDiskTheFlushFailsWithTheCauseAndEveryAcknowledgedEventSurvives() throws Exception {
        try (Mounts mounts = new Mounts()) {
            Path disk = mounts.tmpfs(tmp.resolve("disk"), "1m");
            Path dir = disk.resolve("journal");
            List<String> acknowledged = new ArrayList<>();
            JournalException failure = null;
            try (ChronicleJournal journal = ChronicleJournal.open(dir);
                 AgentRuntime rt = AgentRuntime.builder().workers(2).journal(journal)
                         // AGENT_SPAWNED is DEBUG
                         .journalSettings(JournalSettings.DEFAULTS.withSeverity(Severity.DEBUG)).build()) {
                rt.start();
                String filler = "x".repeat(900);
                for (int i = 0; i < 100_000 && failure == null; i++) {
                    String name = "agent-" + i + "-" + filler; // an AGENT_SPAWNED event of about 1 KB
                    rt.spawn(name, dev.myrmex.core.Behaviors.<dev.myrmex.core.Val>nonBlocking((c, m) -> { }))
                            .stop();
                    try {
                        assertTrue(rt.flushJournal(WATCHDOG));
                        acknowledged.add(name);
                    } catch (JournalException e) {
                        failure = e;
                    }
                }
                assertTrue(failure != null, "a 1 MiB disk never filled");
                assertTrue(acknowledged.size() > 10, "some events were acknowledged before the disk filled");
                assertTrue(failure.getMessage().contains("disk") || failure.getMessage().contains("space"),
                        failure.getMessage());
                JournalMetrics m = rt.metrics().journal();
                assertTrue(m.failedAppends() >= 1 && m.lostRecords() >= 1, m::toString);
                HealthReport h = rt.health();
                assertEquals(HealthReport.Status.DOWN, h.status(), h::toString);
                JournalException again = assertThrows(JournalException.class, () -> rt.flushJournal(WATCHDOG));
                assertTrue(again.getMessage().contains(failure.getMessage().substring(0, 40)), again.getMessage());
            }
            Set<String> found = new HashSet<>();
            try (ChronicleJournal j = ChronicleJournal.openExisting(dir)) {
                j.forEach(EventFilter.ALL.types(EventType.AGENT_SPAWNED), e -> found.add(e.agent()));
            }
            List<String> missing = acknowledged.stream().filter(a -> !found.contains(a)).toList();
            assertEquals(List.of(), missing, "acknowledged events missing after the disk filled ("
                    + acknowledged.size() + " acknowledged; first failure: " + failure.getMessage() + ")");
        }
    }

    /** The journal's own append on a full disk: it throws, naming the cause, and so does every later one. */
    @Test
    void aFailedAppendIsNeverAcknowledgedAndTheJournalTakesNoMore() throws Exception {
        try (Mounts mounts = new Mounts()) {
            Path disk = mounts.tmpfs(tmp.resolve("disk"), "1m");
            Path dir = disk.resolve("journal");
            List<JournalRecord> acknowledged = new ArrayList<>();
            try (ChronicleJournal j = ChronicleJournal.open(dir)) {
                JournalException failure = null;
                for (int i = 0; i < 100_000 && failure == null; i++) {
                    List<JournalRecord> batch = List.of(new JournalEvent(Instant.ofEpochSecond(i),
                            EventType.DEAD_LETTER,
                            EventType.DEAD_LETTER.severity(), "a", null, i + " " + "y".repeat(2_000)));
                    try {
                        j.append(batch);
                        acknowledged.addAll(batch);
                    } catch (JournalException e) {
                        failure = e;
                    }
                }
                assertTrue(failure != null, "a 1 MiB disk never filled");
                assertTrue(failure.getMessage().contains(dir.toString()), failure.getMessage());
                JournalException after = assertThrows(JournalException.class, () -> j.append(List.of(
                        JournalEvent.of(Instant.EPOCH, EventType.AGENT_STOPPED, "b", ""))));
                assertTrue(after.getMessage().contains("takes no more appends since one failed"), after.getMessage());
            }
            List<JournalRecord> back = new ArrayList<>();
            try (ChronicleJournal j = ChronicleJournal.openExisting(dir)) {
                j.replay(back::add);
            }
            assertEquals(acknowledged, back.subList(0, Math.min(back.size(), acknowledged.size())));
            assertTrue(back.size() >= acknowledged.size(), "every acknowledged record is there");
        }
    }

    /**
     * A journal on a read-only file system, and one whose data file alone is read-only: both are refused at open,
     * naming the file, instead of opening in Chronicle's read-only mode and failing (or not writing) later.
     */
    @Test
    void aReadOnlyJournalIsRefusedAtOpenNamingTheFile() throws Exception {
        try (Mounts mounts = new Mounts()) {
            Path disk = mounts.tmpfs(tmp.resolve("disk"), "16m");
            Path dir = disk.resolve("journal");
            try (ChronicleJournal j = ChronicleJournal.open(dir)) {
                j.append(List.of(JournalEvent.of(Instant.EPOCH, EventType.AGENT_SPAWNED, "a", "")));
            }
            Path data = new DamageBench(dir).cycleFiles().getFirst();
            mounts.bindReadOnly(data);
            JournalNotWritableException one = assertThrows(JournalNotWritableException.class,
                    () -> ChronicleJournal.open(dir));
            assertEquals(data, one.file());
            assertTrue(one.getMessage().contains(data.toString()), one.getMessage());
            try (ChronicleJournal r = ChronicleJournal.openExisting(dir)) {
                assertEquals(1, r.query(EventFilter.ALL, 10).size(), "it can still be read");
            }

            mounts.remountReadOnly(disk);
            JournalNotWritableException all = assertThrows(JournalNotWritableException.class,
                    () -> ChronicleJournal.open(dir));
            assertTrue(all.getMessage().contains(dir.toString()) && all.getMessage().contains("Read-only file system"),
                    all.getMessage());
        }
    }
}
