package dev.myrmex.core.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What only the default journal does: its bound, and records that cannot change (the rest: its contract test). */
class InMemoryJournalTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    private static JournalEvent event(int second, EventType type, String agent, String details) {
        return JournalEvent.of(T0.plusSeconds(second), type, agent, details);
    }

    private static List<String> details(List<JournalEvent> events) {
        return events.stream().map(JournalEvent::details).toList();
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
