package dev.myrmex.core.journal;

import java.time.Instant;
import java.util.Objects;

/**
 * One thing that happened in a runtime, as the journal keeps it.
 *
 * @param time     when, by the wall clock
 * @param type     what
 * @param severity how much it matters
 * @param agent    the agent it concerns, or null (a runtime event)
 * @param task     the task it concerns, or null
 * @param details  free text: a failure's cause, a dead letter's reason, a count
 */
public record JournalEvent(Instant time, EventType type, Severity severity, String agent, String task, String details)
        implements JournalRecord {
    public JournalEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(details, "details (use \"\" for none)");
    }

    /** An event of {@code type} at its type's severity. */
    public static JournalEvent of(Instant time, EventType type, String agent, String details) {
        return new JournalEvent(time, type, type.severity(), agent, null, details);
    }
}
