package dev.myrmex.core.journal;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An {@link EventJournal} that hands every call to another one. Extend it and override what you want to watch or
 * change: count the records appended, mirror them elsewhere, slow appends down in a test.
 *
 * <pre>{@code
 * final class Counted extends ForwardingJournal {
 *     final LongAdder appended = new LongAdder();
 *     Counted(EventJournal journal) { super(journal); }
 *     @Override public void append(List<? extends JournalRecord> batch) {
 *         super.append(batch);                     // durable as the delegate promises once this returns
 *         appended.add(batch.size());
 *     }
 * }
 * }</pre>
 *
 * <p>Threads: as the delegate's.
 */
public abstract class ForwardingJournal implements EventJournal {
    private final EventJournal delegate;

    protected ForwardingJournal(EventJournal delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The journal calls go to. */
    protected final EventJournal delegate() {
        return delegate;
    }

    @Override
    public void append(List<? extends JournalRecord> batch) {
        delegate.append(batch);
    }

    @Override
    public void replay(Consumer<? super JournalRecord> sink) {
        delegate.replay(sink);
    }

    @Override
    public void forEach(EventFilter filter, Consumer<? super JournalEvent> sink) {
        delegate.forEach(filter, sink);
    }

    @Override
    public List<JournalEvent> query(EventFilter filter, int limit) {
        return delegate.query(filter, limit);
    }

    @Override
    public long damagedRecords() {
        return delegate.damagedRecords();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
