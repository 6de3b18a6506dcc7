package dev.myrmex.core.journal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The default journal: the last {@code capacity} records in memory, nothing on disk, nothing survives the process.
 * When full, the oldest record goes for each new one ({@link #evicted()} counts them).
 *
 * <p>Threads: one appender at a time (the runtime's journal writer), any number of readers; all under this object's
 * monitor, held for one batch or one read. Reads copy what they return, so a slow reader of a large journal holds
 * appends back for as long as its copy takes: use a durable journal for big histories.
 */
public final class InMemoryJournal implements EventJournal {
    /** Records kept by {@link #InMemoryJournal()}. */
    public static final int DEFAULT_CAPACITY = 100_000;

    private final int capacity;
    private final ArrayDeque<JournalRecord> records = new ArrayDeque<>(); // guarded by this
    private long evicted; // guarded by this

    public InMemoryJournal() {
        this(DEFAULT_CAPACITY);
    }

    /** @throws IllegalArgumentException if {@code capacity} is below 1 */
    public InMemoryJournal(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public synchronized void append(List<? extends JournalRecord> batch) {
        for (JournalRecord r : batch) {
            if (records.size() == capacity) {
                records.pollFirst();
                evicted++;
            }
            records.addLast(r);
        }
    }

    @Override
    public void replay(Consumer<? super JournalRecord> sink) {
        snapshot().forEach(sink);
    }

    @Override
    public void forEach(EventFilter filter, Consumer<? super JournalEvent> sink) {
        for (JournalRecord r : snapshot()) {
            JournalEvent e = JournalRecord.eventOf(r);
            if (e != null && filter.test(e)) {
                sink.accept(e);
            }
        }
    }

    @Override
    public synchronized List<JournalEvent> query(EventFilter filter, int limit) {
        EventJournal.checkLimit(limit);
        List<JournalEvent> out = new ArrayList<>(Math.min(limit, 64));
        Iterator<JournalRecord> newestFirst = records.descendingIterator();
        while (newestFirst.hasNext() && out.size() < limit) {
            JournalEvent e = JournalRecord.eventOf(newestFirst.next());
            if (e != null && filter.test(e)) {
                out.add(e);
            }
        }
        return out;
    }

    /** Records dropped to make room, since creation. */
    public synchronized long evicted() {
        return evicted;
    }

    /** Records held now. */
    public synchronized int size() {
        return records.size();
    }

    private synchronized List<JournalRecord> snapshot() {
        return new ArrayList<>(records);
    }

    @Override
    public void close() {
        // nothing held open
    }

    @Override
    public synchronized String toString() {
        return "InMemoryJournal[" + records.size() + " of " + capacity + ", " + evicted + " evicted]";
    }
}
