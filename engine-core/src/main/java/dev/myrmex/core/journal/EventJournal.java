package dev.myrmex.core.journal;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where a runtime records what happens: lifecycle events and agents' checkpoints, in order. The runtime takes one
 * through {@code AgentRuntime.Builder.journal}; without one it keeps a bounded {@link InMemoryJournal}.
 * engine-journal's {@code ChronicleJournal} keeps it on disk and survives crashes.
 *
 * <p>Threads: the runtime calls {@link #append} from its one journal-writer thread only, so an implementation may
 * keep single-threaded appenders; {@link #replay}, {@link #query} and {@link #forEach} may be called from any thread,
 * also while appends go on, and see a prefix of the records (never a torn one).
 */
public interface EventJournal extends AutoCloseable {
    /** The most events a {@link #query} returns. */
    int MAX_QUERY = 10_000;

    /**
     * Appends {@code batch} in order. Returns once the records are as durable as the journal promises (its
     * documented mode) and a {@link #replay} would read them; the runtime publishes them as acknowledged from then on.
     *
     * @throws JournalException (or any exception) if it cannot: the runtime then counts the records as lost, fails
     *                          every flush from then on and reports itself DOWN
     */
    void append(List<? extends JournalRecord> batch);

    /** Every record still held, oldest first: events and checkpoints, as appended. For recovery. */
    void replay(Consumer<? super JournalRecord> sink);

    /** The events that pass {@code filter}, oldest first, streamed: for exports of any size. */
    void forEach(EventFilter filter, Consumer<? super JournalEvent> sink);

    /**
     * The newest events that pass {@code filter}, at most {@code limit}, newest first.
     *
     * @throws IllegalArgumentException if {@code limit} is not between 1 and {@link #MAX_QUERY}
     */
    List<JournalEvent> query(EventFilter filter, int limit);

    /**
     * Records lost to damage that reads have found so far: damaged in place, missing between readable records, or
     * unreadable at the end (a durable journal numbers its records and checks each one); 0 for a journal that cannot
     * be damaged. A recovering runtime reports it.
     */
    default long damagedRecords() {
        return 0;
    }

    /** Releases what the journal holds open (files, threads). Idempotent. */
    @Override
    void close();

    /** Checks a query's limit: the one rule every implementation shares. */
    static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_QUERY) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_QUERY + ": " + limit);
        }
        return limit;
    }
}
