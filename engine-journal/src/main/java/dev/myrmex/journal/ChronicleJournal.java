package dev.myrmex.journal;

import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventJournal;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalException;
import dev.myrmex.core.journal.JournalRecord;
import dev.myrmex.core.time.RuntimeClock;
import dev.myrmex.journal.internal.AckFile;
import dev.myrmex.journal.internal.ChronicleFiles;
import dev.myrmex.journal.internal.DamageLedger;
import dev.myrmex.journal.internal.ForwardCheck;
import dev.myrmex.journal.internal.JournalDirectory;
import dev.myrmex.journal.internal.JournalLock;
import dev.myrmex.journal.internal.JournalReader;
import dev.myrmex.journal.internal.VerifiedAppender;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventJournal} on disk: a Chronicle Queue in a directory of its own, which survives the process (and, with
 * {@link Durability#POWER_LOSS}, the machine) and is read back by a recovering runtime, {@link #query}, and the
 * {@code myrmex journal} command-line tool.
 *
 * <pre>{@code
 * try (ChronicleJournal journal = ChronicleJournal.open(Path.of("var/journal"));
 *      AgentRuntime rt = AgentRuntime.builder().journal(journal).build()) {
 *     rt.start();   // recovers the agents the journal says were running
 *     ...
 * }
 * }</pre>
 *
 * <p><b>What an acknowledged append promises.</b> When {@link #append} returns, every record of the batch is in the
 * files and reads back where every reader reads: the writer reads each batch back before it returns, then stores the
 * count of records acknowledged in a file of its own. An append that fails (a full disk, damage) throws a
 * {@link JournalException} naming the cause, and so does every later one. Records are numbered 0, 1, 2, ... in the
 * order appended (the layout: {@code internal.RecordDescriptor}).
 *
 * <p><b>Damage.</b> Every read checks each record's checksum and number, and the count it reaches against the count
 * acknowledged, so nothing is lost silently: a damaged record, a gap, a truncated, zeroed or deleted data file are
 * each reported with the records lost, exactly ({@link #damage()}, {@link #damagedRecords()}, logged once each). A
 * damaged journal is refused for writing ({@link JournalDamagedException}, which says to run
 * {@code myrmex journal repair DIR}: {@link JournalRepair}); it can still be read.
 *
 * <p><b>One writer.</b> {@link #open} takes the directory's lock ({@value JournalLock#FILE_NAME}, an operating-system
 * lock the kernel drops when the holder dies): a second writer fails at once with a {@link JournalLockedException}
 * naming the holder's process id. Readers ({@link #openExisting}) take no lock.
 *
 * <p>Threads: {@link #append} from one thread at a time (the runtime's journal writer); reads from any threads, also
 * while appends go on: each read has its own tailer and sees the records appended before it reached them.
 */
public final class ChronicleJournal implements EventJournal {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleJournal.class);
    /**
     * How long Chronicle waits for something another writer is still writing (a new cycle file's first header, a
     * torn excerpt, its write lock) before it treats it as abandoned. Its default, 10 s, made every read of a
     * journal with an emptied or zeroed cycle file take 10 s per file (seen in {@code DamageFuzzTest}). With one
     * writer per journal (the lock) nothing legitimately stays unfinished for more than the few milliseconds a new
     * cycle file takes; half a second leaves a wide margin for a paused writer.
     */
    private static final long CHRONICLE_TIMEOUT_MS = 500;

    private final Path directory;
    private final Durability durability;
    private final SingleChronicleQueue queue;
    private final DamageLedger damage;
    private final JournalReader reader;
    private final JournalLock lock; // null: opened for reading
    private VerifiedAppender writer; // null: opened for reading; set once, before the journal is handed out
    private volatile boolean closed;

    private ChronicleJournal(Path directory, Durability durability, SingleChronicleQueue queue, JournalLock lock) {
        this.directory = directory;
        this.durability = durability;
        this.queue = queue;
        this.lock = lock;
        this.damage = new DamageLedger(directory);
        this.reader = new JournalReader(directory, queue, damage, () -> closed);
    }

    /** {@link #open(Path, Durability)} surviving process crashes ({@link Durability#PROCESS_CRASH}). */
    public static ChronicleJournal open(Path directory) {
        return open(directory, Durability.PROCESS_CRASH);
    }

    /**
     * Opens the journal in {@code directory} for writing, creating it if the directory is missing or empty. Reads it
     * all once, to check it (a million records take about a second).
     *
     * @throws NotAJournalException        if the directory holds other files (or is a file)
     * @throws JournalFormatException      if another format version wrote it
     * @throws JournalLockedException      if another writer has it open: the message names its process id
     * @throws JournalNotWritableException if a file of it, or the directory, cannot be written: it names the file
     * @throws JournalDamagedException     if it is damaged: the message says what is lost and how to repair it
     * @throws JournalException            if Chronicle cannot open it
     */
    public static ChronicleJournal open(Path directory, Durability durability) {
        return open(directory, durability, UnaryOperator.identity());
    }

    /** For tests: a journal whose queue is built with {@code tuning} (a short roll cycle and a clock, say). */
    static ChronicleJournal open(Path directory, UnaryOperator<SingleChronicleQueueBuilder> tuning) {
        return open(directory, Durability.PROCESS_CRASH, tuning);
    }

    static ChronicleJournal open(Path directory, Durability durability,
                                 UnaryOperator<SingleChronicleQueueBuilder> tuning) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(durability, "durability");
        JournalDirectory.check(directory, true);
        try {
            Files.createDirectories(directory);
        } catch (AccessDeniedException e) {
            throw new JournalNotWritableException(directory, directory, "cannot create the journal directory "
                    + directory + ": " + e);
        } catch (IOException e) {
            throw new JournalException(directory, "cannot create the journal directory " + directory + ": " + e, e);
        }
        JournalLock lock = JournalLock.acquire(directory);
        ChronicleJournal j = null;
        try {
            JournalDirectory.prepare(directory);
            ChronicleFiles.checkWritable(directory);
            ChronicleFiles.checkMetadata(directory);
            j = new ChronicleJournal(directory, durability, build(directory, durability, tuning, false), lock);
            j.writer = j.checkForWriting();
            return j;
        } catch (RuntimeException | Error e) {
            if (j != null) {
                j.queue.close();
            }
            lock.close();
            throw e;
        }
    }

    /**
     * Opens an existing journal for reading (tools, exports): never creates one, takes no lock, and may read while
     * a writer appends.
     *
     * @throws NotAJournalException   if there is no journal in {@code directory}
     * @throws JournalFormatException if another format version wrote it
     * @throws JournalDamagedException if Chronicle's metadata file is not Chronicle's
     */
    public static ChronicleJournal openExisting(Path directory) {
        return openExisting(directory, UnaryOperator.identity());
    }

    static ChronicleJournal openExisting(Path directory, UnaryOperator<SingleChronicleQueueBuilder> tuning) {
        Objects.requireNonNull(directory, "directory");
        JournalDirectory.check(directory, false);
        ChronicleFiles.checkMetadata(directory);
        // files that cannot be written (a read-only mount, a copy without write permission) are read in Chronicle's
        // read-only mode, which maps what it reads without write access; else as a writer's files, which may grow
        UnaryOperator<SingleChronicleQueueBuilder> mode = ChronicleFiles.anyUnwritable(directory)
                ? b -> tuning.apply(b).readOnly(true) : tuning;
        return new ChronicleJournal(directory, Durability.PROCESS_CRASH,
                build(directory, Durability.PROCESS_CRASH, mode, true), null);
    }

    /** The Chronicle queue in {@code directory}; a {@link JournalException} if Chronicle cannot open it. */
    static SingleChronicleQueue build(Path directory, Durability durability,
                                              UnaryOperator<SingleChronicleQueueBuilder> tuning, boolean reading) {
        try {
            SingleChronicleQueueBuilder b = SingleChronicleQueueBuilder.binary(directory.toFile())
                    .syncMode(durability == Durability.POWER_LOSS ? SyncMode.SYNC : SyncMode.NONE)
                    .timeoutMS(CHRONICLE_TIMEOUT_MS);
            return tuning.apply(b).build();
        } catch (Exception e) { // some of Chronicle's I/O exceptions are thrown undeclared
            throw new JournalException(directory, "cannot open the Chronicle queue in " + directory
                    + (reading ? " for reading" : "") + ": " + e, e);
        }
    }

    /**
     * Reads the whole journal, checking it; refuses it if it is damaged, else returns the write path, continuing after
     * the last record.
     */
    private VerifiedAppender checkForWriting() {
        long started = RuntimeClock.system().nanoTime();
        ExcerptTailer end = queue.createTailer();
        ForwardCheck check = reader.forward(end, null, (s, r) -> true, damage);
        JournalDamage found = damage.snapshot();
        if (found.damaged()) {
            throw new JournalDamagedException(directory, found, "");
        }
        AckFile acks = AckFile.openForWriting(directory);
        long next = check.expected();
        if (next > acks.stored()) {
            acks.store(next); // appended before a crash, not yet counted: read back just now
        }
        LOG.debug("journal {}: {} records checked in {} ms", directory, next,
                (RuntimeClock.system().nanoTime() - started) / 1_000_000);
        return new VerifiedAppender(directory, queue, durability, acks, end, next);
    }

    /**
     * Appends {@code batch}, numbering its records, and returns once they read back (see the class comment).
     *
     * @throws JournalException      if the append failed, or one before it did: the message names the cause
     * @throws IllegalStateException if the journal is closed, or was opened for reading
     */
    @Override
    public synchronized void append(List<? extends JournalRecord> batch) {
        checkOpen();
        if (writer == null) {
            throw new IllegalStateException("journal " + directory + " was opened for reading (openExisting): open it"
                    + " with ChronicleJournal.open to append");
        }
        writer.append(batch);
    }

    @Override
    public void replay(Consumer<? super JournalRecord> sink) {
        checkOpen();
        reader.oldestFirst(EventFilter.ALL, (s, r) -> {
            sink.accept(r);
            return true;
        });
    }

    @Override
    public void forEach(EventFilter filter, Consumer<? super JournalEvent> sink) {
        Objects.requireNonNull(filter, "filter");
        checkOpen();
        reader.oldestFirst(filter, (s, r) -> {
            JournalEvent e = JournalRecord.eventOf(r);
            if (e != null) {
                sink.accept(e);
            }
            return true;
        });
    }

    @Override
    public List<JournalEvent> query(EventFilter filter, int limit) {
        Objects.requireNonNull(filter, "filter");
        EventJournal.checkLimit(limit);
        checkOpen();
        List<JournalEvent> out = new ArrayList<>(Math.min(limit, 256));
        reader.newestFirst(filter, r -> {
            JournalEvent e = JournalRecord.eventOf(r);
            if (e != null) {
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
        reader.follow(filter, sink, stop, idle);
    }

    /**
     * What reads have found lost so far, record by record. A full {@link #replay} (or an {@link #open} for writing,
     * which reads everything) meets all of it.
     */
    public JournalDamage damage() {
        return damage.snapshot();
    }

    /** Records lost to damage that reads have met so far: {@link #damage()}'s count. */
    @Override
    public long damagedRecords() {
        return damage.snapshot().lostRecords();
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

    /** Closes the files and, for a writer, releases the directory's lock. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (writer != null) {
                writer.close();
            }
            queue.close();
            if (lock != null) {
                lock.close();
            }
        }
    }

    @Override
    public String toString() {
        return "ChronicleJournal[" + directory + ", " + durability + (writer == null ? ", reading" : "")
                + (closed ? ", closed" : "") + "]";
    }
}
