package dev.myrmex.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.journal.Checkpoint;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalRecord;
import dev.myrmex.core.journal.Severity;
import dev.myrmex.journal.internal.JournalDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChronicleJournalTest {
    @TempDir
    Path tmp;

    private static JournalEvent event(int i, EventType type, String agent) {
        return new JournalEvent(Instant.ofEpochSecond(1_700_000_000L + i, i), type, type.severity(), agent,
                i % 3 == 0 ? "task-" + i : null, "event " + i + " ✓");
    }

    @Test
    void recordsSurviveReopeningInOrderAndQueriesComeNewestFirst() {
        Path dir = tmp.resolve("journal");
        List<JournalRecord> written = new ArrayList<>();
        try (ChronicleJournal j = ChronicleJournal.open(dir)) {
            for (int batch = 0; batch < 10; batch++) {
                List<JournalRecord> b = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    int n = batch * 100 + i;
                    b.add(n % 50 == 7 ? new Checkpoint(Instant.ofEpochSecond(n), "a" + n % 4, "counter", "long-v1",
                            new byte[] {(byte) n, 0, (byte) (n >> 8)})
                            : event(n, n % 5 == 0 ? EventType.AGENT_FAILED : EventType.AGENT_SPAWNED, "a" + n % 4));
                }
                j.append(b);
                written.addAll(b);
            }
        }
        try (ChronicleJournal j = ChronicleJournal.open(dir)) {
            List<JournalRecord> read = new ArrayList<>();
            j.replay(read::add);
            assertEquals(written, read);

            List<JournalEvent> failures = j.query(EventFilter.ALL.types(EventType.AGENT_FAILED).agent("a1"), 10);
            List<JournalEvent> expected = written.stream().filter(r -> r instanceof JournalEvent)
                    .map(r -> (JournalEvent) r)
                    .filter(e -> e.type() == EventType.AGENT_FAILED && e.agent().equals("a1"))
                    .toList().reversed().subList(0, 10);
            assertEquals(expected, failures);

            List<JournalEvent> errors = new ArrayList<>();
            j.forEach(EventFilter.ALL.minSeverity(Severity.ERROR).since(Instant.ofEpochSecond(1_700_000_500L)),
                    errors::add);
            assertEquals(written.stream().filter(r -> r instanceof JournalEvent e && e.type() == EventType.AGENT_FAILED
                    && !e.time().isBefore(Instant.ofEpochSecond(1_700_000_500L))).toList(), errors);
            assertEquals(0, j.damagedRecords());
        }
    }

    @Test
    void aQueryStopsAtItsLimitAndChecksIt() {
        try (ChronicleJournal j = ChronicleJournal.open(tmp)) {
            List<JournalRecord> b = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                b.add(event(i, EventType.AGENT_STOPPED, "x"));
            }
            j.append(b);
            List<JournalEvent> last3 = j.query(EventFilter.ALL, 3);
            assertEquals(List.of(b.get(19), b.get(18), b.get(17)), last3);
            assertThrows(IllegalArgumentException.class, () -> j.query(EventFilter.ALL, 0));
            assertThrows(IllegalArgumentException.class, () -> j.query(EventFilter.ALL, 10_001));
        }
    }

    @Test
    void aDirectoryWithOtherFilesIsNotAJournalAndIsLeftAlone() throws IOException {
        Files.writeString(tmp.resolve("notes.txt"), "mine");
        NotAJournalException e = assertThrows(NotAJournalException.class, () -> ChronicleJournal.open(tmp));
        assertTrue(e.getMessage().contains("notes.txt") && e.getMessage().contains("not a Myrmex journal"),
                e.getMessage());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(1, s.count(), "nothing was written");
        }
        Path file = tmp.resolve("notes.txt");
        assertTrue(assertThrows(NotAJournalException.class, () -> ChronicleJournal.open(file)).getMessage()
                .contains("is a file"));
        Path missing = tmp.resolve("missing");
        assertTrue(assertThrows(NotAJournalException.class, () -> ChronicleJournal.openExisting(missing))
                .getMessage().contains("no such directory"));
    }

    @Test
    void aJournalFromANewerFormatIsRefused() throws IOException {
        try (ChronicleJournal j = ChronicleJournal.open(tmp)) {
            j.append(List.of(event(1, EventType.AGENT_SPAWNED, "a")));
        }
        Path marker = tmp.resolve(JournalDirectory.MARKER);
        Files.writeString(marker, Files.readString(marker).replace("format=3", "format=4"));
        JournalFormatException e = assertThrows(JournalFormatException.class, () -> ChronicleJournal.open(tmp));
        assertTrue(e.getMessage().contains("format version 4") && e.getMessage().contains("reads version 3"),
                e.getMessage());
        Files.writeString(marker, Files.readString(marker).replace("format=4", "format=2"));
        e = assertThrows(JournalFormatException.class, () -> ChronicleJournal.openExisting(tmp));
        assertTrue(e.getMessage().contains("format version 2") && e.getMessage().contains("task submissions as text"),
                e.getMessage());
        Files.writeString(marker, Files.readString(marker).replace("format=2", "format=1"));
        e = assertThrows(JournalFormatException.class, () -> ChronicleJournal.openExisting(tmp));
        assertTrue(e.getMessage().contains("format version 1") && e.getMessage().contains("no sequence numbers"),
                e.getMessage());

        Files.writeString(marker, "format=banana\n");
        assertThrows(JournalFormatException.class, () -> ChronicleJournal.openExisting(tmp));
    }

    @Test
    void aDamagedRecordIsSkippedCountedAndTheRestRead() throws IOException {
        try (ChronicleJournal j = ChronicleJournal.open(tmp)) {
            j.append(List.of(event(1, EventType.AGENT_SPAWNED, "a"), event(2, EventType.AGENT_SPAWNED, "DAMAGE-ME"),
                    event(3, EventType.AGENT_SPAWNED, "c")));
        }
        Path data;
        try (Stream<Path> s = Files.list(tmp)) {
            data = s.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(data);
        int at = indexOf(bytes, "DAMAGE-ME".getBytes(StandardCharsets.UTF_8));
        assertTrue(at > 0);
        bytes[at] = 'X'; // one flipped letter: the length still parses, the checksum does not match
        Files.write(data, bytes);

        try (ChronicleJournal j = ChronicleJournal.openExisting(tmp)) {
            List<String> agents = new ArrayList<>();
            j.replay(r -> agents.add(((JournalEvent) r).agent()));
            assertEquals(List.of("a", "c"), agents);
            assertEquals(1, j.damagedRecords());
            assertEquals(2, j.query(EventFilter.ALL, 10).size());
            assertEquals(1, j.damagedRecords(), "the same record is counted once");
        }
    }

    @Test
    void checkpointsComeBackByteForByte() {
        byte[] state = new byte[100_000];
        new java.util.Random(7).nextBytes(state);
        try (ChronicleJournal j = ChronicleJournal.open(tmp, Durability.POWER_LOSS)) {
            j.append(List.of(new Checkpoint(Instant.EPOCH, "big", "f", "raw", state)));
            List<JournalRecord> read = new ArrayList<>();
            j.replay(read::add);
            assertArrayEquals(state, ((Checkpoint) read.getFirst()).state());
        }
    }

    @Test
    void aClosedJournalSaysSo() {
        ChronicleJournal j = ChronicleJournal.open(tmp);
        j.close();
        j.close();
        assertThrows(IllegalStateException.class, () -> j.append(List.of(event(1, EventType.AGENT_SPAWNED, "a"))));
        assertThrows(IllegalStateException.class, () -> j.query(EventFilter.ALL, 1));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
