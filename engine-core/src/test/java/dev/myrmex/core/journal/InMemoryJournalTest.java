package dev.myrmex.core.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default journal and the filter every journal shares. */
class InMemoryJournalTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    private static JournalEvent event(int second, EventType type, String agent, String details) {
        return JournalEvent.of(T0.plusSeconds(second), type, agent, details);
    }

    private static InMemoryJournal sample() {
        InMemoryJournal j = new InMemoryJournal();
        j.append(List.of(
                event(0, EventType.RUNTIME_STARTED, null, "r"),
                event(1, EventType.AGENT_SPAWNED, "a", "1"),
                event(2, EventType.AGENT_SPAWNED, "b", "2"),
                new Checkpoint(T0.plusSeconds(3), "a", "counter", "long-be", new byte[] {1, 2}),
                event(4, EventType.AGENT_FAILED, "a", "boom"),
                new JournalEvent(T0.plusSeconds(5), EventType.AGENT_STOPPED, Severity.INFO, "b", "task-9", "done")));
        return j;
    }

    private static List<String> details(List<JournalEvent> events) {
        return events.stream().map(JournalEvent::details).toList();
    }

    @Test
    void queriesAreNewestFirstFilteredAndLimited() {
        InMemoryJournal j = sample();
        assertEquals(List.of("done", "boom", "2", "1", "r"), details(j.query(EventFilter.ALL, 100)));
        assertEquals(List.of("done", "boom"), details(j.query(EventFilter.ALL, 2)));
        assertEquals(List.of("boom", "1"), details(j.query(EventFilter.ALL.agent("a"), 100)));
        assertEquals(List.of("2", "1"), details(j.query(EventFilter.ALL.types(EventType.AGENT_SPAWNED), 100)));
        assertEquals(List.of("boom"), details(j.query(EventFilter.ALL.minSeverity(Severity.WARNING), 100)));
        assertEquals(List.of("done"), details(j.query(EventFilter.ALL.task("task-9"), 100)));
        assertEquals(List.of("done", "boom", "2"), details(j.query(EventFilter.ALL.since(T0.plusSeconds(2)), 100)));
    }

    @Test
    void forEachAndReplayAreOldestFirstAndReplayIncludesCheckpoints() {
        InMemoryJournal j = sample();
        List<JournalEvent> events = new ArrayList<>();
        j.forEach(EventFilter.ALL.agent("a"), events::add);
        assertEquals(List.of("1", "boom"), details(events));
        List<JournalRecord> all = new ArrayList<>();
        j.replay(all::add);
        assertEquals(6, all.size());
        Checkpoint c = (Checkpoint) all.get(3);
        assertArrayEquals(new byte[] {1, 2}, c.state());
    }

    @Test
    void aFullJournalEvictsTheOldestAndCountsThem() {
        InMemoryJournal j = new InMemoryJournal(3);
        for (int i = 0; i < 5; i++) {
            j.append(List.of(event(i, EventType.AGENT_STARTED, "a", Integer.toString(i))));
        }
        assertEquals(List.of("4", "3", "2"), details(j.query(EventFilter.ALL, 10)));
        assertEquals(2, j.evicted());
        assertEquals(3, j.size());
    }

    @Test
    void badArgumentsAreRefusedWithTheValue() {
        InMemoryJournal j = sample();
        assertEquals("limit must be between 1 and 10000: 0",
                assertThrows(IllegalArgumentException.class, () -> j.query(EventFilter.ALL, 0)).getMessage());
        assertEquals("limit must be between 1 and 10000: 10001",
                assertThrows(IllegalArgumentException.class, () -> j.query(EventFilter.ALL, 10_001)).getMessage());
        assertEquals("capacity must be at least 1: 0",
                assertThrows(IllegalArgumentException.class, () -> new InMemoryJournal(0)).getMessage());
        assertThrows(NullPointerException.class, () -> JournalEvent.of(T0, EventType.AGENT_STARTED, "a", null));
    }

    @Test
    void aCheckpointCannotBeChangedThroughItsBytes() {
        byte[] bytes = {1, 2, 3};
        Checkpoint c = new Checkpoint(T0, "a", "f", "codec", bytes);
        bytes[0] = 9;
        c.state()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, c.state());
        assertEquals(c, new Checkpoint(T0, "a", "f", "codec", new byte[] {1, 2, 3}));
        assertNotEquals(c, new Checkpoint(T0, "a", "f", "codec", new byte[] {1, 2, 4}));
    }
}
