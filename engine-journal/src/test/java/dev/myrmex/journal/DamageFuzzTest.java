package dev.myrmex.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.myrmex.core.journal.JournalException;
import dev.myrmex.core.journal.JournalRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage by hand, at random places, to a journal of known content ({@link DamageBench}): a flipped bit, 64 random
 * bytes, a zeroed 4 KiB page, a truncation, a zeroed, emptied or deleted cycle file. Whatever the damage, a full read:
 * <ul>
 *   <li>returns only records that were written, whole, in order;</li>
 *   <li>reports exactly the records it did not return as lost ({@code damagedRecords()} = written - read, and the
 *       lost ranges are exactly the missing numbers), in the "unreadable from #X to the end" form where nothing after
 *       them was read;</li>
 *   <li>never returns a record whose bytes the damage changed;</li>
 *   <li>makes {@code myrmex journal verify} exit 1 exactly when it found damage (always when records are lost);</li>
 * </ul>
 * and opening the journal for writing is refused ({@link JournalDamagedException}) if it is damaged; if it is not,
 * records appended then are all read back after reopening.
 */
class DamageFuzzTest {
    /** About half a second each on a loaded 2-core machine; -Dmyrmex.damage.trials=300 for a long run. */
    private static final int TRIALS = Integer.getInteger("myrmex.damage.trials", 100);

    @TempDir
    Path tmp;

    private final AtomicInteger trials = new AtomicInteger();
    private final Map<DamageBench.Kind, int[]> seen = new HashMap<>(); // kind -> {trials, with loss}

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES) // the trials' count is a property: the default 180 s is too short
    void everyDamageIsReportedWithExactlyTheRecordsItLoses() {
        qt().withExamples(TRIALS).withShrinkCycles(0).forAll(longs().all()).checkAssert(this::trial);
        System.out.println("damage trials by kind {trials, with records lost}: " + seen.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()[0] + "/" + e.getValue()[1]).toList());
    }

    private void trial(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = tmp.resolve("j" + trials.incrementAndGet());
        DamageBench bench = new DamageBench(dir);
        int n = 200 + random.nextInt(1_800);
        List<JournalRecord> written = bench.write(n, 1 + random.nextInt(3), random);
        List<DamageBench.Place> places = bench.places();
        assertEquals(n, places.size(), "every record found in the files before the damage");

        DamageBench.Kind kind = DamageBench.Kind.values()[random.nextInt(DamageBench.Kind.values().length)];
        List<Path> files = bench.cycleFiles();
        Path file = files.get(random.nextInt(files.size()));
        long end = DamageBench.dataEnd(file, places);
        long first = places.stream().filter(p -> p.file().equals(file)).mapToLong(DamageBench.Place::start).min()
                .orElse(0);
        long offset = random.nextInt(5) == 0 || end == 0 ? random.nextLong(Math.max(1, end)) // anywhere, headers too
                : first + random.nextLong(end - first); // among the records
        Set<Long> touched = new HashSet<>();
        String what = DamageBench.apply(kind, file, offset, random, places, touched) + " (seed " + seed + ", " + n
                + " records in " + files.size() + " files)";

        // a full read
        List<Long> read = new ArrayList<>();
        long lost;
        JournalDamage damage;
        try (ChronicleJournal j = ChronicleJournal.openExisting(dir, bench.tuning)) {
            j.replay(r -> read.add(numberOf(r, written, what)));
            lost = j.damagedRecords();
            damage = j.damage();
        }
        for (int i = 1; i < read.size(); i++) {
            assertTrue(read.get(i) > read.get(i - 1), what + ": records out of order or repeated: " + read);
        }
        assertEquals(n - read.size(), lost, what + ": lost records reported, of " + n + " with " + read.size()
                + " read: " + damage.summary());
        TreeSet<Long> missing = new TreeSet<>();
        for (long s = 0; s < n; s++) {
            missing.add(s);
        }
        read.forEach(missing::remove);
        TreeSet<Long> reported = new TreeSet<>();
        for (JournalDamage.Loss l : damage.losses()) {
            for (long s = l.first(); s <= l.last(); s++) {
                reported.add(s);
            }
        }
        assertEquals(missing, reported, what + ": the records reported lost are the ones not read");
        if (missing.contains((long) n - 1)) { // nothing read after the last loss
            assertTrue(damage.losses().getLast().toEnd(), what + ": an end that was not read is 'unreadable to the"
                    + " end': " + damage.summary());
        }
        for (long s : touched) {
            assertTrue(missing.contains(s), what + ": record #" + s + " was damaged and read anyway");
        }
        assertTrue(read.size() == n || damage.damaged(), what);
        seen.computeIfAbsent(kind, k -> new int[2])[0]++;
        if (!missing.isEmpty()) {
            seen.get(kind)[1]++;
        }

        // a second reader with the default tuning finds the same, as `myrmex journal verify` does (engine-cli)
        String again;
        try (ChronicleJournal j = ChronicleJournal.openExisting(dir)) {
            j.replay(r -> { });
            again = j.damage().damaged() ? "damage: " + j.damage().summary() : "no damage";
        } catch (JournalDamagedException refused) { // verify's exit 1 too
            again = "damage: " + refused.getMessage();
        }
        assertEquals(damage.damaged(), again.startsWith("damage"), what + ": a second read found " + again);

        // and a writer: refused if damaged; else what it appends reads back
        if (damage.damaged()) {
            JournalDamagedException e = assertThrows(JournalDamagedException.class,
                    () -> ChronicleJournal.open(dir, bench.tuning), what);
            assertTrue(e.getMessage().contains("myrmex journal repair " + dir), e.getMessage());
        } else {
            appendAndReadBack(dir, bench, n, random, what);
        }
        TestFiles.deleteTree(dir);
    }

    private static void appendAndReadBack(Path dir, DamageBench bench, int n, SplittableRandom random, String what) {
        if (random.nextBoolean()) {
            bench.clock.advanceMillis(1_000); // into a new cycle file
        }
        List<JournalRecord> more = new ArrayList<>();
        for (int i = n; i < n + 10; i++) {
            more.add(DamageBench.record(i, 20));
        }
        try (ChronicleJournal j = ChronicleJournal.open(dir, bench.tuning)) {
            try {
                j.append(more);
            } catch (JournalException notAcknowledged) {
                return; // refused, not acknowledged: allowed (the damage showed only to the writer's read-back)
            }
        }
        List<JournalRecord> back = new ArrayList<>();
        try (ChronicleJournal j = ChronicleJournal.openExisting(dir, bench.tuning)) {
            j.replay(back::add);
            assertEquals(0, j.damagedRecords(), what + ": " + j.damage().summary());
        }
        assertEquals(n + more.size(), back.size(), what + ": every record, and the ones appended after the damage");
        assertEquals(more, back.subList(n, back.size()), what);
    }

    /** Which written record {@code r} is; fails if it is none of them. */
    private static long numberOf(JournalRecord r, List<JournalRecord> written, String what) {
        String text = ((dev.myrmex.core.journal.JournalEvent) r).details();
        int i = Integer.parseInt(text.substring("record-".length(), text.indexOf('-', "record-".length())));
        if (i < 0 || i >= written.size() || !written.get(i).equals(r)) {
            fail(what + ": read a record that was never written: " + r);
        }
        return i;
    }
}
