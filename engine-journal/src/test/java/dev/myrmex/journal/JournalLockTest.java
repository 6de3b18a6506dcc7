package dev.myrmex.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.journal.internal.ChronicleFiles;
import dev.myrmex.journal.internal.JournalLock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per journal: a second writer fails at once, naming the holder's process id, while readers read on; the
 * lock of a process that died (SIGKILL) is taken over by the next writer.
 */
class JournalLockTest {
    @TempDir
    Path tmp;

    @Test
    void aSecondWriterIsRefusedNamingTheHolderAndTakesOverOnceTheHolderIsKilled() throws Exception {
        Path dir = tmp.resolve("journal");
        Process holder = new ProcessBuilder(ChildJvm.command(JournalHolder.class, dir.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine(); // blocks until the child holds the journal, or ends
            assertEquals("HOLDING " + holder.pid(), line);

            JournalLockedException e = assertThrows(JournalLockedException.class, () -> ChronicleJournal.open(dir));
            assertEquals(holder.pid(), e.holderPid());
            assertTrue(e.getMessage().contains("in use by process " + holder.pid())
                    && e.getMessage().contains(JournalLock.FILE_NAME), e.getMessage());

            try (ChronicleJournal reader = ChronicleJournal.openExisting(dir)) { // readers take no lock
                assertEquals("held by the child", reader.query(EventFilter.ALL, 1).getFirst().details());
            }
            try (ChronicleJournal reader = ChronicleJournal.openExisting(dir)) { // as `myrmex journal verify` reads
                reader.replay(r -> { });
                assertFalse(reader.damage().damaged(), "read while the child writes: " + reader.damage().summary());
            }

            holder.destroyForcibly(); // SIGKILL: the kernel drops its lock; its pid stays in the file
            assertTrue(holder.waitFor(60, TimeUnit.SECONDS));
            assertEquals(Long.toString(holder.pid()), Files.readString(dir.resolve(JournalLock.FILE_NAME)).trim());
            try (ChronicleJournal taken = ChronicleJournal.open(dir)) {
                taken.append(List.of(JournalEvent.of(Instant.now(), EventType.RUNTIME_STARTED, null, "taken over")));
                assertEquals(List.of("taken over", "held by the child"), taken.query(EventFilter.ALL, 10).stream()
                        .map(JournalEvent::details).toList());
            } // read after the close: opening and closing the lock file here would drop this process's lock
            assertEquals(Long.toString(ProcessHandle.current().pid()),
                    Files.readString(dir.resolve(JournalLock.FILE_NAME)).trim());
        } finally {
            holder.destroyForcibly();
        }
    }

    /**
     * A second writer in the writer's own process is refused too, and neither it, nor a reader, nor a repair attempt
     * in that process loosens the lock for other processes (a POSIX record lock goes when any descriptor of its file
     * in the process is closed).
     */
    @Test
    void aSecondWriterInTheSameProcessIsRefusedAndLoosensNothing() throws Exception {
        Path dir = tmp.resolve("journal");
        try (ChronicleJournal first = ChronicleJournal.open(dir)) {
            JournalLockedException e = assertThrows(JournalLockedException.class, () -> ChronicleJournal.open(dir));
            assertTrue(e.getMessage().contains("this process (pid " + ProcessHandle.current().pid() + ")"),
                    e.getMessage());
            assertThrows(JournalLockedException.class, () -> ChronicleJournal.open(dir.resolve("..")
                    .resolve(dir.getFileName())), "the same directory by another path");
            assertThrows(JournalLockedException.class, () -> JournalRepair.repair(dir));
            ChronicleJournal.openExisting(dir).close();

            Process other = new ProcessBuilder(ChildJvm.command(JournalHolder.class, dir.toString()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                String line = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                assertEquals("LOCKED " + ProcessHandle.current().pid(), line, "another process is still refused");
                assertTrue(other.waitFor(60, TimeUnit.SECONDS));
                assertEquals(3, other.exitValue());
            } finally {
                other.destroyForcibly();
            }
            assertFalse(first.toString().contains("closed"));
        }
        ChronicleJournal.open(dir).close(); // the lock went with the close
    }

    /**
     * Chronicle's metadata overwritten with garbage: refused at once with a message about the metadata (Chronicle
     * itself retried a lock on it for 10 s, then said "Unable to claim exclusive lock"); repair moves it aside, and
     * Chronicle rebuilds it from the cycle files: no record is lost.
     */
    @Test
    void garbageMetadataIsRefusedAtOnceSayingSoAndRepairRebuildsIt() throws Exception {
        Path dir = tmp.resolve("journal");
        try (ChronicleJournal j = ChronicleJournal.open(dir)) {
            j.append(List.of(JournalEvent.of(Instant.EPOCH, EventType.AGENT_SPAWNED, "a", "kept")));
        }
        byte[] garbage = new byte[(int) Files.size(dir.resolve(ChronicleFiles.METADATA))];
        new Random(8).nextBytes(garbage);
        Files.write(dir.resolve(ChronicleFiles.METADATA), garbage);

        JournalDamagedException e = assertThrows(JournalDamagedException.class, () -> ChronicleJournal.open(dir));
        assertTrue(e.getMessage().contains(ChronicleFiles.METADATA + " is not Chronicle Queue's metadata")
                && e.getMessage().contains("myrmex journal repair"), e.getMessage());
        JournalDamagedException read = assertThrows(JournalDamagedException.class,
                () -> ChronicleJournal.openExisting(dir)); // verify's exit 1 with this message: JournalCliTest
        assertTrue(read.getMessage().contains("not Chronicle Queue's metadata"), read.getMessage());

        JournalRepair.Report report = JournalRepair.repair(dir);
        assertTrue(report.repaired() && report.moved().contains(ChronicleFiles.METADATA), report::summary);
        assertEquals(1, report.kept());
        try (ChronicleJournal j = ChronicleJournal.open(dir)) {
            assertEquals(List.of("kept"), j.query(EventFilter.ALL, 10).stream().map(JournalEvent::details).toList());
        }
    }
}
