package dev.myrmex.journal;

import dev.myrmex.core.journal.JournalException;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventJournal;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalRecord;
import dev.myrmex.journal.internal.JournalDirectory;
import dev.myrmex.journal.internal.RecordCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventJournal} on disk: a Chronicle Queue in a directory of its own, which survives the process (and, with
 * {@link Durability#POWER_LOSS}, the machine) and is read back by a recovering runtime, {@link #query}, and the
 * {@code myrmex-journal} command-line tool.
 *
 * <pre>{@code
 * try (ChronicleJournal journal = ChronicleJournal.open(Path.of("var/journal"));
 *      AgentRuntime rt = AgentRuntime.builder().journal(journal).build()) {
 *     rt.start();   // recovers the agents the journal says were running
 *     ...
 * }
 * }</pre>
 *
 * <p>Records are stored one Chronicle excerpt each, in the {@link RecordCodec} format with a CRC-32C. Chronicle writes
 * an excerpt's length header last, so a process killed mid-append leaves no half record that readers would see.
 *
 * <p><b>Damage.</b> A record whose checksum does not match (a bit flip, a file overwritten by hand) is skipped by every
 * read, logged once, and counted: {@link #damagedRecords()}, which a recovering runtime puts in its report and the CLI
 * prints. Nothing is silently lost. If the Chronicle files themselves cannot be parsed past some point, reads stop with
 * a {@link JournalException} that names the directory.
 *
 * <p>Threads: {@link #append} from one thread at a time (the runtime's journal writer); reads from any threads, also
 * while appends go on: each read has its own tailer and sees the records appended before it reached them.
 */
public final class ChronicleJournal implements EventJournal {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleJournal.class);
    private static final int DAMAGE_REMEMBERED = 10_000;
    /** Records read forward at a time by a newest-first read. */
    private static final int CHUNK = 1024;

    private final Path directory;
    private final Durability durability;
    private final SingleChronicleQueue queue;
    private final RecordCodec writeCodec = new RecordCodec(); // the appending thread's
    private final ConcurrentSkipListSet<Long> damaged = new ConcurrentSkipListSet<>();
    private ExcerptAppender appender; // made by the first append; guarded by this
    private Thread appenderThread; // guarded by this
    private volatile boolean closed;

    private ChronicleJournal(Path directory, Durability durability, UnaryOperator<SingleChronicleQueueBuilder> tuning) {
        this.directory = directory;
        this.durability = durability;
        try {
            SingleChronicleQueueBuilder b = SingleChronicleQueueBuilder.binary(directory.toFile())
                    .syncMode(durability == Durability.POWER_LOSS ? SyncMode.SYNC : SyncMode.NONE);
            this.queue = tuning.apply(b).build();
        } catch (RuntimeException e) {
            throw new JournalException(directory, "cannot open the Chronicle queue in " + directory + ": " + e, e);
        }
    }

    /** {@link #open(Path, Durability)} surviving process crashes ({@link Durability#PROCESS_CRASH}). */
    public static ChronicleJournal open(Path directory) {
        return open(directory, Durability.PROCESS_CRASH);
    }

    /**
     * Opens the journal in {@code directory}, creating it if the directory is missing or empty.
     *
     * @throws NotAJournalException   if the directory holds other files (or is a file)
     * @throws JournalFormatException if a newer Myrmex wrote it
     * @throws JournalException       if Chronicle cannot open it
     */
    public static ChronicleJournal open(Path directory, Durability durability) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(durability, "durability");
        JournalDirectory.prepare(directory, true);
        return new ChronicleJournal(directory, durability, UnaryOperator.identity());
    }

    /** For tests: a journal whose queue is built with {@code tuning} (a short roll cycle and a clock, say). */
    static ChronicleJournal open(Path directory, UnaryOperator<SingleChronicleQueueBuilder> tuning) {
        JournalDirectory.prepare(directory, true);
        return new ChronicleJournal(directory, Durability.PROCESS_CRASH, tuning);
    }

    /**
     * Opens an existing journal, for reading (tools, exports): never creates one.
     *
     * @throws NotAJournalException   if there is no journal in {@code directory}
     * @throws JournalFormatException if a newer Myrmex wrote it
     */
    public static ChronicleJournal openExisting(Path directory) {
        Objects.requireNonNull(directory, "directory");
        JournalDirectory.prepare(directory, false);
        return new ChronicleJournal(directory, Durability.PROCESS_CRASH, UnaryOperator.identity());
    }

    @Override
    public synchronized void append(List<? extends JournalRecord> batch) {
        checkOpen();
        ExcerptAppender a = appender();
        for (JournalRecord r : batch) {
            writeCodec.encode(r);
            try (DocumentContext dc = a.writingDocument()) {
                dc.wire().bytes().write(writeCodec.buffer(), 0, writeCodec.length());
            }
        }
        if (durability == Durability.POWER_LOSS) {
            a.sync();
        }
    }

    /** The appender, tied to the calling thread (Chronicle checks that one thread uses it at a time). */
    private ExcerptAppender appender() {
        Thread me = Thread.currentThread();
        if (appender == null) {
            appender = queue.createAppender();
        } else if (appenderThread != me) {
            appender.singleThreadedCheckReset(); // a new writer thread (a runtime started again): ours now
        }
        appenderThread = me;
        return appender;
    }

    @Override
    public void replay(Consumer<? super JournalRecord> sink) {
        scan(false, EventFilter.ALL, r -> {
            sink.accept(r);
            return true;
        });
    }

    @Override
    public void forEach(EventFilter filter, Consumer<? super JournalEvent> sink) {
        Objects.requireNonNull(filter, "filter");
        scan(false, filter, r -> {
            if (r instanceof JournalEvent e) {
                sink.accept(e);
            }
            return true;
        });
    }

    @Override
    public List<JournalEvent> query(EventFilter filter, int limit) {
        Objects.requireNonNull(filter, "filter");
        EventJournal.checkLimit(limit);
        List<JournalEvent> out = new ArrayList<>(Math.min(limit, 256));
        scan(true, filter, r -> {
            if (r instanceof JournalEvent e) {
                out.add(e);
            }
            return out.size() < limit;
        });
        return out;
    }

    /**
     * Hands {@code sink} the events that pass {@code filter} as they are appended from now on, until {@code stop} says
     * so; {@code idle} runs whenever there is nothing new (a short park, say). For {@code tail -f}.
     */
    public void follow(EventFilter filter, Consumer<? super JournalEvent> sink, BooleanSupplier stop, Runnable idle) {
        checkOpen();
        Decoder d = new Decoder(filter);
        try (ExcerptTailer t = queue.createTailer()) {
            t.toEnd();
            while (!stop.getAsBoolean() && !closed) {
                JournalRecord r = null;
                boolean present;
                try (DocumentContext dc = t.readingDocument()) {
                    present = dc.isPresent();
                    if (present) {
                        r = d.decode(dc);
                    }
                }
                if (r instanceof JournalEvent e) {
                    sink.accept(e);
                } else if (!present) {
                    idle.run();
                }
            }
        }
    }

    /**
     * Reads records oldest first, or newest first, handing the ones {@code filter} lets through to {@code sink} until
     * it returns false or the records run out.
     */
    private void scan(boolean newestFirst, EventFilter filter, Predicate<JournalRecord> sink) {
        checkOpen();
        Decoder d = new Decoder(filter);
        try {
            if (newestFirst) {
                newestFirst(d, sink);
            } else {
                oldestFirst(d, sink);
            }
        } catch (JournalException e) {
            throw e;
        } catch (RuntimeException e) {
            if (closed) {
                throw new IllegalStateException("journal " + directory + " was closed during the read", e);
            }
            throw new JournalException(directory, "cannot read the journal in " + directory + " after index "
                    + Long.toHexString(d.index) + ": " + e, e);
        }
    }

    private void oldestFirst(Decoder d, Predicate<JournalRecord> sink) {
        try (ExcerptTailer t = queue.createTailer()) {
            while (true) {
                JournalRecord r;
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return;
                    }
                    r = d.decode(dc);
                }
                if (r != null && !sink.test(r)) {
                    return;
                }
            }
        }
    }

    /**
     * Newest first, a chunk of up to {@value #CHUNK} records at a time, each read forward and handed over backward.
     * Chronicle's backward tailer finds each previous record through its sparse index, a scan of up to 255 records per
     * step; reading forward from one index lookup per chunk is about twenty times faster. A chunk never spans two roll
     * cycles: the record before a chunk's first is found with one backward step, which crosses cycles.
     */
    private void newestFirst(Decoder d, Predicate<JournalRecord> sink) {
        RollCycle cycles = queue.rollCycle();
        List<JournalRecord> chunk = new ArrayList<>();
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
                        JournalRecord r = d.decode(dc);
                        if (r != null) {
                            chunk.add(r);
                        }
                    }
                }
                for (int i = chunk.size() - 1; i >= 0; i--) {
                    if (!sink.test(chunk.get(i))) {
                        return;
                    }
                }
                last = before(backward, first);
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

    /** One read's decoding: the record in a document, or null if it is filtered out or damaged (and counted). */
    private final class Decoder {
        private final RecordCodec codec = new RecordCodec();
        private final EventFilter filter;
        private byte[] buf = new byte[512];
        long index = -1; // of the last record decoded, for error messages

        Decoder(EventFilter filter) {
            this.filter = filter;
        }

        /** The record in {@code dc}; null if it is not data, is filtered out, or is damaged (and counted). */
        JournalRecord decode(DocumentContext dc) {
            if (!dc.isData()) {
                return null;
            }
            index = dc.index();
            Bytes<?> b = dc.wire().bytes();
            int n = (int) b.readRemaining();
            if (n > buf.length) {
                buf = new byte[Math.max(n, buf.length * 2)];
            }
            b.read(buf, 0, n);
            try {
                return codec.decode(buf, n, filter);
            } catch (RecordCodec.DamagedRecordException e) {
                damaged(dc.index(), e);
                return null;
            }
        }
    }

    private void damaged(long index, RecordCodec.DamagedRecordException e) {
        if (damaged.size() < DAMAGE_REMEMBERED && damaged.add(index)) {
            LOG.warn("journal {}: record at index {} is damaged and skipped: {}", directory, Long.toHexString(index),
                    e.getMessage());
        }
    }

    /**
     * Damaged records that reads have met and skipped so far (remembered up to 10,000). A full {@link #replay} meets
     * them all, so after a recovery this is the whole count.
     */
    @Override
    public long damagedRecords() {
        return damaged.size();
    }

    /** The directory this journal lives in. */
    public Path directory() {
        return directory;
    }

    /** What an acknowledged append survives. */
    public Durability durability() {
        return durability;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("journal " + directory + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            queue.close();
        }
    }

    @Override
    public String toString() {
        return "ChronicleJournal[" + directory + ", " + durability + (closed ? ", closed" : "") + "]";
    }
}
