package dev.myrmex.journal;

import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalException;
import dev.myrmex.core.journal.JournalRecord;
import dev.myrmex.core.time.RuntimeClock;
import dev.myrmex.journal.internal.AckFile;
import dev.myrmex.journal.internal.ChronicleFiles;
import dev.myrmex.journal.internal.DamageLedger;
import dev.myrmex.journal.internal.DamageSink;
import dev.myrmex.journal.internal.JournalDirectory;
import dev.myrmex.journal.internal.JournalLock;
import dev.myrmex.journal.internal.JournalReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * {@code myrmex journal repair DIR}: makes a damaged journal whole again, keeping every record that can be read and
 * deleting nothing.
 * <ol>
 *   <li>Takes the journal's lock (no writer may run meanwhile: {@link JournalLockedException}).</li>
 *   <li>Reads the journal oldest first, checking it as every read does, and writes each readable record into a new
 *       journal in {@code DIR/repair-STAMP.tmp}; where records are lost it writes an {@link EventType#EVENTS_DROPPED}
 *       event saying which (by their old numbers), where and why, so the loss stays on record. If nothing is damaged,
 *       it stops there and changes nothing.</li>
 *   <li>Marks the new journal complete, moves the old files (data, Chronicle's metadata, the count of acknowledged
 *       records) into {@code DIR/damaged-STAMP/}, and moves the new ones in. A repair cut short after the mark is
 *       finished by the next repair; one cut short before it is started again.</li>
 * </ol>
 * The repaired journal numbers its records from 0 again; appends after the repair are read back as any append.
 */
public final class JournalRepair {
    private static final String WORK_PREFIX = "repair-";
    private static final String WORK_SUFFIX = ".tmp";
    private static final String DAMAGED_PREFIX = "damaged-";
    private static final String COMPLETE = "REPAIR-COMPLETE";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
            .withZone(ZoneOffset.UTC);
    private static final int BATCH = 1024;

    /**
     * What a repair did.
     *
     * @param repaired  false if the journal was not damaged (nothing changed)
     * @param kept      records in the repaired journal, not counting the {@code EVENTS_DROPPED} events it added
     * @param damage    what was lost, by the old records' numbers (for a finished repair: unknown, {@code NONE})
     * @param movedTo   where the old files went; null if nothing moved
     * @param moved     their names
     * @param resumed   true if this finished a repair that had been cut short
     */
    public record Report(Path directory, boolean repaired, long kept, JournalDamage damage, Path movedTo,
                         List<String> moved, boolean resumed) {
        public Report {
            moved = List.copyOf(moved);
        }

        /** A few lines for people: what was kept, lost and moved. */
        public String summary() {
            if (!repaired) {
                return directory + ": no damage found; nothing changed";
            }
            return directory + ": " + (resumed ? "finished an interrupted repair" : "repaired: kept " + kept
                    + " records; " + damage.summary()) + System.lineSeparator() + "moved " + String.join(", ", moved)
                    + " into " + movedTo + (resumed ? "" : System.lineSeparator() + "the journal records each loss"
                    + " as an EVENTS_DROPPED event");
        }
    }

    private JournalRepair() {
    }

    /**
     * Repairs the journal in {@code directory} (see the class comment).
     *
     * @throws NotAJournalException   if there is no journal there
     * @throws JournalLockedException if a writer has it open
     * @throws JournalException       if files cannot be read, written or moved (the message says which)
     */
    public static Report repair(Path directory) {
        return repair(directory, UnaryOperator.identity());
    }

    static Report repair(Path dir, UnaryOperator<SingleChronicleQueueBuilder> tuning) {
        JournalDirectory.check(dir, false);
        JournalLock lock = JournalLock.acquire(dir);
        try {
            for (Path work : workDirectories(dir)) {
                if (Files.exists(work.resolve(COMPLETE))) {
                    String stamp = work.getFileName().toString();
                    stamp = stamp.substring(WORK_PREFIX.length(), stamp.length() - WORK_SUFFIX.length());
                    Path movedTo = dir.resolve(DAMAGED_PREFIX + stamp);
                    return new Report(dir, true, 0, JournalDamage.NONE, movedTo, finish(dir, work, movedTo), true);
                }
                deleteTree(work); // cut short before it was complete: start again
            }
            return rewrite(dir, tuning);
        } finally {
            lock.close();
        }
    }

    private static Report rewrite(Path dir, UnaryOperator<SingleChronicleQueueBuilder> tuning) {
        String stamp = STAMP.format(RuntimeClock.system().instant());
        Path work = dir.resolve(WORK_PREFIX + stamp + WORK_SUFFIX);
        Path movedTo = dir.resolve(DAMAGED_PREFIX + stamp);
        DamageLedger found = new DamageLedger(dir);
        boolean badMetadata = false;
        try {
            ChronicleFiles.checkMetadata(dir);
        } catch (JournalDamagedException e) {
            e.damage().problems().forEach(found::problem);
            badMetadata = true; // Chronicle cannot open the queue with it: it goes aside first, and is rebuilt
            move(dir.resolve(ChronicleFiles.METADATA), movedTo);
        }
        Copy copy;
        try (ChronicleJournal target = ChronicleJournal.open(work, Durability.PROCESS_CRASH, tuning)) {
            copy = new Copy(target, found, movedTo.getFileName().toString());
            try (SingleChronicleQueue queue = ChronicleJournal.build(dir, Durability.PROCESS_CRASH, tuning, true);
                 ExcerptTailer t = queue.createTailer()) {
                new JournalReader(dir, queue, copy, () -> false).forward(t, EventFilter.ALL, copy::record, copy);
            } catch (JournalException e) { // Chronicle cannot open the files at all: every record is unreadable
                long acked = AckFile.read(dir).count();
                copy.problem("the queue cannot be opened: " + e.getMessage());
                if (acked > 0) {
                    copy.lost(new JournalDamage.Loss(0, acked - 1, true, "the queue cannot be opened"));
                }
            }
            copy.flush();
        }
        JournalDamage damage = found.snapshot();
        if (!damage.damaged() && !badMetadata) {
            deleteTree(work);
            return new Report(dir, false, copy.kept, damage, null, List.of(), false);
        }
        try {
            Files.createFile(work.resolve(COMPLETE));
        } catch (IOException e) {
            throw new JournalException(dir, "cannot mark the repaired journal in " + work + " complete: " + e, e);
        }
        List<String> moved = new ArrayList<>();
        if (badMetadata) {
            moved.add(ChronicleFiles.METADATA);
            try {
                Files.deleteIfExists(dir.resolve(ChronicleFiles.METADATA)); // rebuilt by the read: the new one comes
            } catch (IOException e) {
                throw new JournalException(dir, "cannot delete " + dir.resolve(ChronicleFiles.METADATA) + ": " + e, e);
            }
        }
        moved.addAll(finish(dir, work, movedTo));
        return new Report(dir, true, copy.kept, damage, movedTo, moved, false);
    }

    /**
     * The readable records, copied into the new journal in batches, with an {@code EVENTS_DROPPED} event where records
     * are lost; every finding also goes to the ledger.
     */
    private static final class Copy implements DamageSink {
        private final ChronicleJournal target;
        private final DamageLedger found;
        private final String movedTo;
        private final List<JournalRecord> batch = new ArrayList<>();
        private Instant lastTime;
        long kept;

        Copy(ChronicleJournal target, DamageLedger found, String movedTo) {
            this.target = target;
            this.found = found;
            this.movedTo = movedTo;
        }

        boolean record(long sequence, JournalRecord r) {
            batch.add(r);
            kept++;
            lastTime = r.time();
            if (batch.size() == BATCH) {
                flush();
            }
            return true;
        }

        void flush() {
            if (!batch.isEmpty()) {
                target.append(batch);
                batch.clear();
            }
        }

        @Override
        public void lost(JournalDamage.Loss loss) {
            found.lost(loss);
            flush();
            target.append(List.of(JournalEvent.of(lastTime != null ? lastTime : RuntimeClock.system().instant(),
                    EventType.EVENTS_DROPPED, null, loss.count() + " records lost to damage, found by a repair: "
                            + loss + ". Numbers are those of the journal before the repair; its damaged files are in "
                            + movedTo)));
        }

        @Override
        public void damagedDocument(long index, String why) {
            found.damagedDocument(index, why);
        }

        @Override
        public void problem(String what) {
            found.problem(what);
        }
    }

    /** Moves the old files aside and the new ones in; returns the names moved aside. */
    private static List<String> finish(Path dir, Path work, Path movedTo) {
        List<String> moved = new ArrayList<>();
        for (Path f : ChronicleFiles.files(dir)) {
            if (!keep(f)) {
                move(f, movedTo);
                moved.add(f.getFileName().toString());
            }
        }
        for (Path f : ChronicleFiles.files(work)) {
            if (!keep(f) && !f.getFileName().toString().equals(COMPLETE)) {
                move(f, dir);
            }
        }
        deleteTree(work);
        return moved;
    }

    /** The journal's marker and lock stay where they are. */
    private static boolean keep(Path f) {
        String name = f.getFileName().toString();
        return name.equals(JournalDirectory.MARKER) || name.equals(JournalLock.FILE_NAME);
    }

    private static void move(Path file, Path toDir) {
        try {
            Files.createDirectories(toDir);
            Files.move(file, toDir.resolve(file.getFileName()));
        } catch (IOException e) {
            throw new JournalException(toDir.getParent(), "cannot move " + file + " into " + toDir + ": " + e, e);
        }
    }

    private static List<Path> workDirectories(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith(WORK_PREFIX)
                    && p.getFileName().toString().endsWith(WORK_SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new JournalException(dir, "cannot list " + dir + ": " + e, e);
        }
    }

    private static void deleteTree(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        } catch (IOException e) {
            throw new JournalException(p.getParent(), "cannot delete " + p + ": " + e, e);
        }
    }
}
