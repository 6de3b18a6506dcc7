package dev.myrmex.core.journal;

import java.time.Instant;

/** What a journal holds, in order: events, and agents' checkpoints. */
public sealed interface JournalRecord permits JournalEvent, Checkpoint {
    /** When it was recorded, by the wall clock. */
    Instant time();
}
