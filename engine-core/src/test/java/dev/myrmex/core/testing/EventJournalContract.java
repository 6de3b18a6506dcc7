package dev.myrmex.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.journal.Checkpoint;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventJournal;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalRecord;
import dev.myrmex.core.journal.Severity;
import dev.myrmex.core.journal.TaskSubmission;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link EventJournal} contract, run against every implementation: each one's test extends this and says how to
 * open a fresh, empty journal (engine-core's {@code InMemoryJournalContractTest}, engine-journal's
 * {@code ChronicleJournalContractTest}). What it holds an implementation to, from the interface's Javadoc: records come
 * back as appended (every field, to the nanosecond, nulls kept), replay and {@code forEach} oldest first, queries
 * newest first, filtered and limited, limits out of range refused naming the value, readers during appends see a
 * prefix and never a torn record, close is idempotent; a task submission comes back typed and shows in queries
 * as its event.
 */
public abstract class EventJournalContract {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00.123456789Z");

    private EventJournal journal;

    /** A fresh, empty journal of the implementation under test. */
    protected abstract EventJournal openEmpty() throws Exception;

    @BeforeEach
    void open() throws Exception {
        journal = openEmpty();
    }

    @AfterEach
    void close() {
        journal.close();
    }

    private static JournalEvent event(int second, EventType type, String agent, String details) {
        return JournalEvent.of(T0.plusSeconds(second), type, agent, details);
    }

    private static List<JournalRecord> sample() {
        return List.of(
                event(0, EventType.RUNTIME_STARTED, null, "r"),
                event(1, EventType.AGENT_SPAWNED, "a", "1"),
                event(2, EventType.AGENT_SPAWNED, "b", "2"),
                new Checkpoint(T0.plusSeconds(3), "a", "counter", "long-be", new byte[] {1, 2, -1}),
                event(4, EventType.AGENT_FAILED, "a", "boom"),
                new JournalEvent(T0.plusSeconds(5), EventType.AGENT_STOPPED, Severity.INFO, "b", "task-9", "done"));
    }

    private static List<String> details(List<JournalEvent> events) {
        return events.stream().map(JournalEvent::details).toList();
    }

    private List<JournalRecord> replayed() {
        List<JournalRecord> all = new ArrayList<>();
        journal.replay(all::add);
        return all;
    }

    @Test
    void anEmptyJournalHoldsNothing() {
        assertEquals(List.of(), replayed());
        assertEquals(List.of(), journal.query(EventFilter.ALL, 10));
        journal.append(List.of()); // an empty batch is no error
        assertEquals(List.of(), replayed());
        assertEquals(0, journal.damagedRecords());
    }

    @Test
    void recordsComeBackAsAppendedEveryFieldOldestFirst() {
        List<JournalRecord> in = sample();
        journal.append(in.subList(0, 2));
        journal.append(in.subList(2, in.size())); // batches keep their order across appends
        List<JournalRecord> out = replayed();
        assertEquals(in, out); // every field, the time to the nanosecond, a checkpoint's bytes by value
        assertArrayEquals(new byte[] {1, 2, -1}, ((Checkpoint) out.get(3)).state());
        JournalEvent started = (JournalEvent) out.getFirst();
        assertNull(started.agent());
        assertNull(started.task());
    }

    @Test
    void queriesAreNewestFirstFilteredAndLimited() {
        journal.append(sample());
        assertEquals(List.of("done", "boom", "2", "1", "r"), details(journal.query(EventFilter.ALL, 100)));
        assertEquals(List.of("done", "boom"), details(journal.query(EventFilter.ALL, 2)));
        assertEquals(List.of("boom", "1"), details(journal.query(EventFilter.ALL.agent("a"), 100)));
        assertEquals(List.of("2", "1"), details(journal.query(EventFilter.ALL.types(EventType.AGENT_SPAWNED), 100)));
        assertEquals(List.of("boom"), details(journal.query(EventFilter.ALL.minSeverity(Severity.WARNING), 100)));
        assertEquals(List.of("done"), details(journal.query(EventFilter.ALL.task("task-9"), 100)));
        assertEquals(List.of("done", "boom", "2"),
                details(journal.query(EventFilter.ALL.since(T0.plusSeconds(2)), 100)));
    }

    @Test
    void forEachStreamsTheFilteredEventsOldestFirst() {
        journal.append(sample());
        List<JournalEvent> events = new ArrayList<>();
        journal.forEach(EventFilter.ALL.agent("a"), events::add);
        assertEquals(List.of("1", "boom"), details(events));
    }

    @Test
    void taskSubmissionsComeBackTypedAndShowAsTheirEvents() {
        TaskSubmission encoded = new TaskSubmission(T0.plusSeconds(1), 7, false, "resize é;=", 3, List.of(2L, 5L),
                Duration.ofMillis(1500), 2, "myrmex-json-v1", new byte[] {0, -1, 9}, null);
        TaskSubmission none = new TaskSubmission(T0.plusSeconds(2), 8, false, "n", 0, List.of(), null, 0, null, null,
                null);
        TaskSubmission missing = new TaskSubmission(T0.plusSeconds(3), 9, false, "m", 0, List.of(), null, 1, null,
                null, "codec c could not encode it").requeuedAt(T0.plusSeconds(4));
        List<JournalRecord> in = List.of(event(0, EventType.RUNTIME_STARTED, null, "r"), encoded, none, missing);
        journal.append(in);
        assertEquals(in, replayed()); // typed, every field, the input's bytes by value
        assertArrayEquals(new byte[] {0, -1, 9}, ((TaskSubmission) replayed().get(1)).input());
        assertEquals(List.of(missing.event(), none.event(), encoded.event()),
                journal.query(EventFilter.ALL.types(EventType.TASK_SUBMITTED, EventType.TASK_REQUEUED), 100));
        assertEquals(List.of(encoded.event()), journal.query(EventFilter.ALL.task("7"), 100));
        assertEquals(List.of(missing.event()), journal.query(EventFilter.ALL.minSeverity(Severity.WARNING), 100));
        List<JournalEvent> streamed = new ArrayList<>();
        journal.forEach(EventFilter.ALL.since(T0.plusSeconds(1)), streamed::add);
        assertEquals(List.of(encoded.event(), none.event(), missing.event()), streamed);
    }

    @Test
    void aLimitOutOfRangeIsRefusedNamingIt() {
        assertEquals("limit must be between 1 and 10000: 0",
                assertThrows(IllegalArgumentException.class, () -> journal.query(EventFilter.ALL, 0)).getMessage());
        assertEquals("limit must be between 1 and 10000: 10001", assertThrows(IllegalArgumentException.class,
                () -> journal.query(EventFilter.ALL, EventJournal.MAX_QUERY + 1)).getMessage());
    }

    @Test
    void aReaderDuringAppendsSeesAPrefixNeverATornRecord() throws Exception {
        int batches = 400;
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                int seen = 0;
                while (seen < batches * 2) {
                    List<JournalRecord> now = replayed();
                    assertTrue(now.size() >= seen, "a later read saw fewer records: " + now.size() + " < " + seen);
                    for (int i = 0; i < now.size(); i++) {
                        JournalEvent e = (JournalEvent) now.get(i);
                        assertEquals(Integer.toString(i), e.details(), "not a prefix at " + i);
                        assertEquals(T0.plusSeconds(i), e.time(), "a torn record at " + i);
                    }
                    seen = now.size();
                }
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        for (int b = 0; b < batches; b++) {
            journal.append(List.of(event(2 * b, EventType.AGENT_STARTED, "a", Integer.toString(2 * b)),
                    event(2 * b + 1, EventType.AGENT_STOPPED, "a", Integer.toString(2 * b + 1))));
        }
        assertTrue(reader.join(Await.WATCHDOG), "the reader never saw every record");
        if (failed.get() != null) {
            throw new AssertionError(failed.get());
        }
    }

    @Test
    void closeIsIdempotent() {
        journal.append(sample());
        journal.close();
        journal.close();
    }
}
