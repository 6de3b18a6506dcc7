package dev.myrmex.journal.internal;

import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The journal's reads over its Chronicle queue: oldest first, newest first, and following new records. Every read
 * checks each record (its checksum, and its sequence number against the last and against the count the journal
 * acknowledged, {@link ForwardCheck}, {@link BackwardCheck}) and reports what it finds lost to a {@link DamageSink}.
 * Chronicle failing to parse its files past some point ends the read there, as damage, not as an exception: what
 * follows is reported as unreadable to the end.
 *
 * <p>Threads: any number of reads at once, each with its own tailers and decoder; also while the journal appends.
 */
public final class JournalReader {
    /** Records read forward at a time by a newest-first read. */
    private static final int CHUNK = 1024;
    /**
     * A longer excerpt is damage (a broken length), not read: Chronicle writes none longer than a quarter of its block
     * size, 64 MiB by default, so 64 MiB leaves room for any block size that could have written one.
     */
    private static final int MAX_EXCERPT = 1 << 26;

    /** Takes the records of a read; false stops it. */
    public interface RecordSink {
        boolean accept(long sequence, JournalRecord r);
    }

    private final Path directory;
    private final SingleChronicleQueue queue;
    private final DamageSink damage;
    private final BooleanSupplier closed;

    public JournalReader(Path directory, SingleChronicleQueue queue, DamageSink damage, BooleanSupplier closed) {
        this.directory = directory;
        this.queue = queue;
        this.damage = damage;
        this.closed = closed;
    }

    /** The count of records acknowledged now, -1 (reported as a problem to {@code to}) if it cannot be read. */
    public long acknowledged(DamageSink to) {
        AckFile.Reading r = AckFile.read(directory);
        if (!r.readable()) {
            to.problem(r.problem());
        }
        return r.count();
    }

    /**
     * Every record passing {@code filter}, oldest first, until {@code sink} says stop; damage to the journal's sink.
     */
    public void oldestFirst(EventFilter filter, RecordSink sink) {
        try (ExcerptTailer t = queue.createTailer()) {
            forward(t, filter, sink, damage);
        }
    }

    /**
     * Reads {@code t} forward from where it is (a new tailer: the start) until the records run out or {@code sink}
     * stops it, checking each record and the end (against the count acknowledged when the read began) into
     * {@code to}. {@code filter} null checks the records without decoding them (and hands {@code sink} null records).
     * Returns the check, whose {@link ForwardCheck#expected()} is the next record's number; null if {@code sink}
     * stopped the read.
     */
    public ForwardCheck forward(ExcerptTailer t, EventFilter filter, RecordSink sink, DamageSink to) {
        long acknowledged = acknowledged(to);
        ForwardCheck check = new ForwardCheck(to, 0);
        Decoder d = new Decoder(filter);
        Throwable failure = null;
        try {
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        if (toNextCycle(t)) {
                            continue;
                        }
                        break;
                    }
                    if (!dc.isData()) {
                        continue;
                    }
                    long index = dc.index();
                    if (!d.read(dc)) {
                        check.damaged(index, d.damage);
                    } else if (check.record(d.sequence, index, t.currentFile())
                            && (filter == null || d.record != null) && !deliver(sink, d.sequence, d.record)) {
                        return null;
                    }
                }
            }
        } catch (SinkFailure f) {
            throw f.unwrapped();
        } catch (Exception | AssertionError | InternalError e) { // Chronicle cannot parse or open past here (its
            // I/O exceptions are thrown unchecked, some undeclared)
            failIfClosed(e);
            failure = e;
        }
        check.end(acknowledged, failure);
        return check;
    }

    /**
     * Moves {@code t}, which found no more records in its cycle, to the next cycle that has a file, if any: a cycle
     * that ends early (a zeroed page, a broken header: Chronicle's reader stops there, as at the end of the journal)
     * must not hide the cycles after it, which the numbering checks like any other records. Safe while a writer
     * appends: it writes a cycle's records before it starts the next cycle's file.
     */
    private boolean toNextCycle(ExcerptTailer t) {
        int cycle = t.cycle();
        if (cycle < 0 || cycle >= queue.lastCycle()) {
            return false; // the last cycle, or none: the end (and no listing of the directory)
        }
        try {
            for (int c = queue.nextCycle(t.cycle(), TailerDirection.FORWARD); c >= 0;
                 c = queue.nextCycle(c, TailerDirection.FORWARD)) {
                if (t.moveToCycle(c)) {
                    return true;
                }
            }
            return false;
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("Chronicle cannot parse a cycle file's name in " + directory, e);
        }
    }

    /**
     * Newest first, a chunk of up to {@value #CHUNK} records at a time, each read forward and handed over backward.
     * Chronicle's backward tailer finds each previous record through its sparse index, a scan of up to 255 records per
     * step; reading forward from one index lookup per chunk is about twenty times faster. A chunk never spans two roll
     * cycles: the record before a chunk's first is found with one backward step, which crosses cycles.
     */
    public void newestFirst(EventFilter filter, Predicate<JournalRecord> sink) {
        BackwardCheck check = new BackwardCheck(damage, acknowledged(damage));
        Decoder d = new Decoder(filter);
        RollCycle cycles = queue.rollCycle();
        List<Entry> chunk = new ArrayList<>();
        try (ExcerptTailer forward = queue.createTailer();
             ExcerptTailer backward = queue.createTailer().direction(TailerDirection.BACKWARD)) {
            backward.toEnd();
            long last = nextIndex(backward); // the newest record's; -1 if there is none
            while (last >= 0) {
                int cycle = cycles.toCycle(last);
                long first = cycles.toIndex(cycle, Math.max(0, cycles.toSequenceNumber(last) - CHUNK + 1));
                if (!forward.moveToIndex(first)) {
                    first = last; // not expected within a cycle; one record at a time is slow but right
                    forward.moveToIndex(first);
                }
                chunk.clear();
                boolean more = true;
                while (more) {
                    try (DocumentContext dc = forward.readingDocument()) {
                        if (!dc.isPresent() || dc.index() > last) {
                            break;
                        }
                        more = dc.index() < last;
                        if (!dc.isData()) {
                            continue;
                        }
                        if (d.read(dc)) {
                            chunk.add(new Entry(d.sequence, d.record, dc.index(), forward.currentFile()));
                        } else {
                            damage.damagedDocument(dc.index(), d.damage);
                        }
                    }
                }
                for (int i = chunk.size() - 1; i >= 0; i--) {
                    Entry e = chunk.get(i);
                    if (check.record(e.sequence, e.index, e.file) && e.record != null
                            && !deliver(sink, e.record)) {
                        return;
                    }
                }
                last = before(backward, first);
            }
        } catch (SinkFailure f) {
            throw f.unwrapped();
        } catch (Exception | AssertionError | InternalError e) {
            failIfClosed(e);
            damage.problem("a newest-first read fails (it returns the records it had read): " + e);
            return;
        }
        check.reachedStart();
    }

    private record Entry(long sequence, JournalRecord record, long index, java.io.File file) {
    }

    /**
     * Hands {@code sink} the events that pass {@code filter} as they are appended from now on, until {@code stop} says
     * so; {@code idle} runs whenever there is nothing new.
     */
    public void follow(EventFilter filter, Consumer<? super JournalEvent> sink, BooleanSupplier stop, Runnable idle) {
        Decoder d = new Decoder(filter);
        ForwardCheck check = null; // from the first record that comes
        try (ExcerptTailer t = queue.createTailer()) {
            t.toEnd();
            while (!stop.getAsBoolean() && !closed.getAsBoolean()) {
                JournalRecord r = null;
                boolean present;
                try (DocumentContext dc = t.readingDocument()) {
                    present = dc.isPresent();
                    if (present && dc.isData()) {
                        if (!d.read(dc)) {
                            damage.damagedDocument(dc.index(), d.damage);
                            continue;
                        }
                        check = check != null ? check : new ForwardCheck(damage, d.sequence);
                        if (check.record(d.sequence, dc.index(), t.currentFile())) {
                            r = d.record;
                        }
                    }
                }
                JournalEvent e = r == null ? null : JournalRecord.eventOf(r);
                if (e != null) {
                    sink.accept(e);
                } else if (!present) {
                    idle.run();
                }
            }
        }
    }

    /** The index of the record before the one at {@code index}, perhaps in an earlier cycle; -1 if there is none. */
    private static long before(ExcerptTailer backward, long index) {
        if (!backward.moveToIndex(index) || nextIndex(backward) < 0) { // the read takes the record at index itself
            return -1;
        }
        return nextIndex(backward);
    }

    /** Reads the next document in the tailer's direction and returns its index; -1 if there is none. */
    private static long nextIndex(ExcerptTailer t) {
        try (DocumentContext dc = t.readingDocument()) {
            return dc.isPresent() ? dc.index() : -1;
        }
    }

    /** Hands {@code r} to the read's sink; what the sink throws is the caller's, never taken for damage. */
    private static boolean deliver(RecordSink sink, long sequence, JournalRecord r) {
        try {
            return sink.accept(sequence, r);
        } catch (RuntimeException | Error e) {
            throw new SinkFailure(e);
        }
    }

    private static boolean deliver(Predicate<JournalRecord> sink, JournalRecord r) {
        return deliver((s, x) -> sink.test(x), -1, r);
    }

    /** What a read's sink threw, carried past the catch that takes Chronicle's failures for damage. */
    private static final class SinkFailure extends RuntimeException {
        SinkFailure(Throwable cause) {
            super(cause);
        }

        RuntimeException unwrapped() {
            if (getCause() instanceof Error e) {
                throw e;
            }
            return (RuntimeException) getCause();
        }
    }

    private void failIfClosed(Throwable e) {
        if (closed.getAsBoolean()) {
            throw new IllegalStateException("journal " + directory + " was closed during the read", e);
        }
    }

    /** One read's decoding of excerpts: a good record's number and record, or why it is damaged. */
    private static final class Decoder {
        private final RecordCodec codec = new RecordCodec();
        private final EventFilter filter; // null: check only
        private byte[] buf = new byte[512];
        long sequence;
        JournalRecord record; // null if filtered out, or checked only
        String damage;

        Decoder(EventFilter filter) {
            this.filter = filter;
        }

        /** Reads the excerpt in {@code dc}: true if it is a good record, false if it is damaged. */
        boolean read(DocumentContext dc) {
            Bytes<?> b = dc.wire().bytes();
            long n = b.readRemaining();
            if (n > MAX_EXCERPT) {
                damage = "an excerpt of " + n + " bytes, longer than any the journal writes";
                return false;
            }
            if (n > buf.length) {
                buf = new byte[(int) Math.max(n, buf.length * 2L)];
            }
            b.read(buf, 0, (int) n);
            try {
                if (filter == null) {
                    sequence = codec.check(buf, (int) n);
                    record = null;
                } else {
                    record = codec.decode(buf, (int) n, filter);
                    sequence = codec.sequence();
                }
                return true;
            } catch (RecordCodec.DamagedRecordException e) {
                damage = e.getMessage();
                return false;
            }
        }
    }
}
