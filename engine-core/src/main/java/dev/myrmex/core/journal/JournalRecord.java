package dev.myrmex.core.journal;

import java.time.Instant;

/** What a journal holds, in order: events, agents' checkpoints, and tasks' submissions. */
public sealed interface JournalRecord permits JournalEvent, Checkpoint, TaskSubmission {
    /** When it was recorded, by the wall clock. */
    Instant time();

    /**
     * The event a query, an export or a tail shows for {@code r}: an event itself, a task submission's
     * {@link TaskSubmission#event()}; null for a checkpoint, which no query shows.
     */
    static JournalEvent eventOf(JournalRecord r) {
        return switch (r) {
            case JournalEvent e -> e;
            case TaskSubmission s -> s.event();
            case Checkpoint c -> null;
        };
    }
}
