package dev.myrmex.journal.internal;

import dev.myrmex.core.journal.JournalException;
import dev.myrmex.core.journal.JournalRecord;
import dev.myrmex.journal.Durability;
import dev.myrmex.journal.JournalDamage;
import dev.myrmex.journal.JournalDamagedException;
import java.nio.file.Path;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The journal's write path. A batch is acknowledged (its {@link #append} returns) only once it can be read back where
 * every reader reads:
 * <ol>
 *   <li>each record is appended with the next sequence number (see {@link RecordDescriptor});</li>
 *   <li>with {@link Durability#POWER_LOSS}, the mapped pages are synced;</li>
 *   <li>a tailer that has read the whole journal (the check made when it was opened) reads the batch back: every
 *       record must be there, of its length, with its number, right after the one before;</li>
 *   <li>then the count of acknowledged records is stored ({@link AckFile}).</li>
 * </ol>
 * Any failure (a full disk shows as an {@link InternalError} from the memory-mapped file, damage as a batch that does
 * not read back) throws a {@link JournalException} naming the cause, and every later append throws at once: what the
 * failed append left in the files is unknown, and the next open checks the journal again.
 *
 * <p>Threads: one caller at a time (the journal's monitor); the caller may change from call to call (a runtime
 * started again), which hands Chronicle's appender and tailer over to the new thread.
 */
public final class VerifiedAppender {
    private final Path directory;
    private final SingleChronicleQueue queue;
    private final Durability durability;
    private final AckFile acks;
    private final ExcerptTailer readBack;
    private final RecordCodec codec = new RecordCodec();
    private int[] lengths = new int[1024]; // of the batch's records, for the read-back
    private ExcerptAppender appender; // made by the first append
    private Thread owner;
    private long next;
    private JournalException broken; // the failure that stopped appends, if one did

    /**
     * @param readBack a tailer at the end of the journal: it has read every record, the last one {@code next - 1}
     */
    public VerifiedAppender(Path directory, SingleChronicleQueue queue, Durability durability, AckFile acks,
                            ExcerptTailer readBack, long next) {
        this.directory = directory;
        this.queue = queue;
        this.durability = durability;
        this.acks = acks;
        this.readBack = readBack;
        this.next = next;
    }

    /** Appends {@code batch} and returns once it reads back; see the class comment. */
    public void append(List<? extends JournalRecord> batch) {
        if (broken != null) {
            throw new JournalException(directory, "journal " + directory + " takes no more appends since one failed ("
                    + broken.getMessage() + "); once the cause is fixed, open it again, which checks it", broken);
        }
        ExcerptAppender a = takeOver();
        long seq = next;
        try {
            if (lengths.length < batch.size()) {
                lengths = new int[batch.size()];
            }
            for (JournalRecord r : batch) {
                codec.encode(r, seq);
                lengths[(int) (seq - next)] = codec.length();
                try (DocumentContext dc = a.writingDocument()) {
                    try {
                        dc.wire().bytes().write(codec.buffer(), 0, codec.length());
                    } catch (Throwable e) {
                        dc.rollbackOnClose(); // no half record with a complete header
                        throw e;
                    }
                }
                seq++;
            }
            if (durability == Durability.POWER_LOSS) {
                a.sync();
            }
            readBack(next, seq);
        } catch (JournalException e) {
            broken = e;
            throw e;
        } catch (Exception | Error e) { // Chronicle throws some I/O exceptions undeclared
            broken = new JournalException(directory, "cannot append to the journal in " + directory + ": " + e
                    + (e instanceof InternalError ? " (a fault writing its memory-mapped file: is the disk full?)"
                    : ""), e);
            throw broken;
        }
        next = seq;
        acks.store(next);
    }

    /**
     * Reads records {@code from} to {@code to - 1} back, as a reader of the whole journal would: each must be the next
     * excerpt, of the length written, with its number. (Not its checksum: what is checked is where the records went,
     * which is what damage and a confused appender get wrong; the bytes were written a moment ago by this thread.
     * Copying and summing them too made an append 60% dearer than these checks do.)
     */
    private void readBack(long from, long to) {
        for (long s = from; s < to; s++) {
            try (DocumentContext dc = readBack.readingDocument()) {
                if (!dc.isPresent()) {
                    throw unreadable("record #" + s + ", just appended, is not there for a reader that has read"
                            + " every record before it (" + Places.of(readBack.index(), readBack.currentFile())
                            + ")" + (appender.cycle() < queue.lastCycle() ? "; it went into roll cycle "
                            + appender.cycle() + ", before the newest file's (" + queue.lastCycle() + "): is the"
                            + " clock behind the journal?" : ""));
                }
                Bytes<?> b = dc.wire().bytes();
                long n = b.readRemaining();
                int expected = lengths[(int) (s - from)];
                long found = n >= RecordDescriptor.MIN_LENGTH ? sequenceAt(b) : -1;
                if (n != expected || found != s) {
                    throw unreadable("reading back record #" + s + " (" + expected + " bytes), just appended, finds "
                            + (found >= 0 ? "#" + found : "no record") + " of " + n + " bytes at "
                            + Places.of(dc.index(), readBack.currentFile()));
                }
            }
        }
    }

    /** The sequence number of the record at {@code b}'s read position (big-endian, see RecordDescriptor). */
    private static long sequenceAt(Bytes<?> b) {
        long at = b.readPosition() + RecordDescriptor.SEQUENCE_OFFSET;
        long v = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            v = v << 8 | b.readUnsignedByte(at + i);
        }
        return v;
    }

    private JournalDamagedException unreadable(String what) {
        return new JournalDamagedException(directory, new JournalDamage(List.of(), 0, List.of(what)),
                "an append does not read back");
    }

    /** The appender and the read-back tailer, for the calling thread (Chronicle checks one thread uses each). */
    private ExcerptAppender takeOver() {
        Thread me = Thread.currentThread();
        if (appender == null) {
            appender = queue.createAppender();
        } else if (owner != me) {
            appender.singleThreadedCheckReset();
        }
        if (owner != me) {
            readBack.singleThreadedCheckReset();
        }
        owner = me;
        return appender;
    }

    /** The number the next record will get: the records in the journal. */
    public long next() {
        return next;
    }

    /**
     * Makes the count of acknowledged records durable too (with {@link Durability#POWER_LOSS}) and unmaps its file.
     */
    public void close() {
        if (durability == Durability.POWER_LOSS && broken == null) {
            acks.force();
        }
        acks.close();
    }
}
