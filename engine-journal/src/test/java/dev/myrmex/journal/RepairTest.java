package dev.myrmex.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged journal never takes an append it could not read back: opening it for writing fails with a
 * {@link JournalDamagedException} that says what is lost and names the repair command; {@code repair} moves the
 * damaged files aside, keeps every readable record and records the loss; appends after it are read back.
 */
class RepairTest {
    @TempDir
    Path tmp;

    private static List<JournalRecord> readAll(Path dir, UnaryOperator<SingleChronicleQueueBuilder> tuning) {
        List<JournalRecord> out = new ArrayList<>();
        try (ChronicleJournal j = ChronicleJournal.openExisting(dir, tuning)) {
            j.replay(out::add);
            assertEquals(JournalDamage.NONE, j.damage(), "no damage after the repair");
        }
        return out;
    }

    private static List<JournalRecord> appended(int from) {
        List<JournalRecord> more = new ArrayList<>();
        for (int i = from; i < from + 3; i++) {
            more.add(DamageBench.record(i, 10));
        }
        return more;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The case of the issue: a truncation inside record 500, then appends that were acknowledged and never read. */
    @Test
    void aTruncatedJournalIsRefusedForWritingRepairedAndThenTakesAppendsThatReadBack() throws IOException {
        Path dir = tmp.resolve("j");
        DamageBench bench = new DamageBench(dir);
        List<JournalRecord> written = bench.write(1_000, 1, new SplittableRandom(1));
        DamageBench.Place p500 = bench.places().get(500);
        DamageBench.apply(DamageBench.Kind.TRUNCATE, p500.file(), p500.start() + 10, new SplittableRandom(2),
                bench.places(), new HashSet<>());

        JournalDamagedException refused = assertThrows(JournalDamagedException.class,
                () -> ChronicleJournal.open(dir, bench.tuning));
        assertEquals(List.of(new JournalDamage.Loss(500, 999, true, refused.damage().losses().getFirst().where())),
                refused.damage().losses());
        assertTrue(refused.getMessage().contains("500 records (#500 to #999) unreadable from #500 to the end")
                && refused.getMessage().contains("run `myrmex journal repair " + dir + "`")
                && refused.getMessage().contains(p500.file().getFileName().toString()), refused.getMessage());
        assertThrows(JournalDamagedException.class, () -> ChronicleJournal.open(dir, bench.tuning),
                "refused again: the first refusal released the lock");

        String out = JournalRepair.repair(dir).summary(); // what `myrmex journal repair` prints (engine-cli)
        assertTrue(out.contains("repaired: kept 500 records; 500 records lost"), out);
        Path aside;
        try (Stream<Path> s = Files.list(dir)) {
            aside = s.filter(f -> f.getFileName().toString().startsWith("damaged-")).findFirst().orElseThrow();
        }
        assertTrue(names(aside).contains(p500.file().getFileName().toString()), names(aside)::toString);
        assertTrue(out.contains(aside.toString()), out);

        List<JournalRecord> more = appended(1_000);
        try (ChronicleJournal j = ChronicleJournal.open(dir)) { // repaired with the real clock
            j.append(more);
        }
        List<JournalRecord> back = readAll(dir, UnaryOperator.identity());
        assertEquals(written.subList(0, 500), back.subList(0, 500));
        JournalEvent marker = (JournalEvent) back.get(500);
        assertEquals(EventType.EVENTS_DROPPED, marker.type());
        assertTrue(marker.details().startsWith("500 records lost to damage") && marker.details().contains(
                "#500 to #999")
                && marker.details().contains(aside.getFileName().toString()), marker.details());
        assertEquals(more, back.subList(501, back.size()), "the appends after the repair read back");
    }

    /**
     * Damage in each of a journal's three cycle files: every readable record is kept, and each loss is on record. A
     * zeroed page ends the reading of its cycle file (Chronicle cannot find the next record's header), not of the
     * files after it.
     */
    @Test
    void aJournalDamagedInThreePlacesKeepsEveryReadableRecordAndEachLossOnRecord() throws IOException {
        Path dir = tmp.resolve("j");
        DamageBench bench = new DamageBench(dir);
        List<JournalRecord> written = bench.write(1_500, 3, new SplittableRandom(3));
        List<DamageBench.Place> places = bench.places();
        SplittableRandom random = new SplittableRandom(4);
        DamageBench.apply(DamageBench.Kind.BIT_FLIP, places.get(100).file(), places.get(100).end() - 6, random,
                places, new HashSet<>()); // a checksum mismatch
        DamageBench.Place p = places.get(700); // in the second file: the rest of it is unreadable, not the third
        DamageBench.apply(DamageBench.Kind.ZERO_PAGE, p.file(), p.start(), random, places, new HashSet<>());
        DamageBench.apply(DamageBench.Kind.BIT_FLIP, places.get(1_200).file(), places.get(1_200).start() + 30, random,
                places, new HashSet<>());

        JournalDamagedException refused = assertThrows(JournalDamagedException.class,
                () -> ChronicleJournal.open(dir, bench.tuning));
        JournalDamage damage = refused.damage();
        assertEquals(3, damage.losses().size(), damage::summary);
        JournalRepair.Report report = JournalRepair.repair(dir, bench.tuning);
        assertTrue(report.repaired());
        assertEquals(damage.losses().stream().map(JournalDamage.Loss::count).toList(),
                report.damage().losses().stream().map(JournalDamage.Loss::count).toList());
        assertEquals(1_500 - damage.lostRecords(), report.kept());

        List<JournalRecord> more = appended(1_500);
        try (ChronicleJournal j = ChronicleJournal.open(dir, bench.tuning)) {
            j.append(more);
        }
        List<JournalRecord> back = readAll(dir, bench.tuning);
        List<JournalRecord> kept = new ArrayList<>();
        int markers = 0;
        for (JournalRecord r : back.subList(0, back.size() - more.size())) {
            if (r instanceof JournalEvent e && e.type() == EventType.EVENTS_DROPPED) {
                markers++;
            } else {
                kept.add(r);
            }
        }
        assertEquals(3, markers, "one EVENTS_DROPPED event per loss");
        assertEquals(written.stream().filter(kept::contains).toList(), kept, "the kept records, in order");
        assertEquals(report.kept(), kept.size());
        assertEquals(more, back.subList(back.size() - more.size(), back.size()));
    }

    @Test
    void anUndamagedJournalIsLeftAsItIs() throws IOException {
        Path dir = tmp.resolve("j");
        DamageBench bench = new DamageBench(dir);
        bench.write(300, 2, new SplittableRandom(5));
        List<String> before = names(dir);
        JournalRepair.Report report = JournalRepair.repair(dir);
        assertFalse(report.repaired(), report::summary);
        assertTrue(report.summary().contains("no damage found; nothing changed"), report.summary());
        assertEquals(before, names(dir));
    }

    @Test
    void aRepairWaitsForNoWriter() {
        Path dir = tmp.resolve("j");
        try (ChronicleJournal writer = ChronicleJournal.open(dir)) {
            assertTrue(writer.toString().contains(dir.toString()));
            JournalLockedException e = assertThrows(JournalLockedException.class, () -> JournalRepair.repair(dir));
            assertEquals(ProcessHandle.current().pid(), e.holderPid()); // the tool's exit 4: JournalCliTest
        }
    }

    /** A repair cut short after the new journal was complete is finished by the next one. */
    @Test
    void aRepairCutShortIsFinishedByTheNext() throws IOException {
        Path damaged = tmp.resolve("a");
        Path model = tmp.resolve("b");
        for (Path dir : List.of(damaged, model)) {
            DamageBench bench = new DamageBench(dir);
            bench.write(400, 1, new SplittableRandom(6));
            DamageBench.Place p = bench.places().get(200);
            DamageBench.apply(DamageBench.Kind.TRUNCATE, p.file(), p.start() + 3, new SplittableRandom(7),
                    bench.places(), new HashSet<>());
        }
        JournalRepair.repair(model); // what a finished repair leaves: copied as the cut-short one's new journal
        Path work = Files.createDirectories(damaged.resolve("repair-20260101-000000-000.tmp"));
        for (String name : names(model)) {
            Path f = model.resolve(name);
            if (Files.isRegularFile(f)) {
                Files.copy(f, work.resolve(name));
            }
        }
        Files.createFile(work.resolve("REPAIR-COMPLETE"));
        Path aside = Files.createDirectories(damaged.resolve("damaged-20260101-000000-000"));
        Files.move(damaged.resolve("metadata.cq4t"), aside.resolve("metadata.cq4t")); // cut short mid-way

        JournalRepair.Report report = JournalRepair.repair(damaged);
        assertTrue(report.resumed() && report.repaired(), report::summary);
        assertEquals(aside, report.movedTo());
        assertFalse(Files.exists(work));
        assertEquals(readAll(model, UnaryOperator.identity()), readAll(damaged, UnaryOperator.identity()));
    }
}
