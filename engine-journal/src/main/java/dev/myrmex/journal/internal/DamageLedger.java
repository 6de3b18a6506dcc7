package dev.myrmex.journal.internal;

import dev.myrmex.journal.JournalDamage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The damage one journal's reads have found, merged: a loss found by two reads (a replay and a query) is counted once.
 * Each new finding is logged once, at WARN.
 *
 * <p>Threads: any; every method takes this object's monitor (findings are rare, and reads report them as they go).
 */
public final class DamageLedger implements DamageSink {
    private static final Logger LOG = LoggerFactory.getLogger(DamageLedger.class);
    private static final int PROBLEMS_REMEMBERED = 100;

    private final Path directory;
    private final TreeMap<Long, JournalDamage.Loss> losses = new TreeMap<>(); // by first record; never overlapping
    private final Set<String> problems = new LinkedHashSet<>();
    private final Set<Long> damagedDocuments = new java.util.HashSet<>(); // Chronicle indexes, each counted once

    public DamageLedger(Path directory) {
        this.directory = directory;
    }

    /** Records {@code loss}, merged with any it overlaps or touches. */
    @Override
    public synchronized void lost(JournalDamage.Loss loss) {
        long first = loss.first();
        long last = loss.last();
        boolean toEnd = loss.toEnd();
        String where = loss.where();
        boolean grew = true;
        Map.Entry<Long, JournalDamage.Loss> before = losses.floorEntry(first);
        if (before != null && before.getValue().last() + 1 >= first) {
            JournalDamage.Loss b = before.getValue();
            grew = last > b.last();
            toEnd = last > b.last() ? toEnd : last == b.last() ? toEnd || b.toEnd() : b.toEnd();
            first = b.first();
            last = Math.max(last, b.last());
            where = b.where();
            losses.remove(before.getKey());
        }
        Map.Entry<Long, JournalDamage.Loss> after;
        while ((after = losses.ceilingEntry(first)) != null && after.getKey() <= last + 1) {
            JournalDamage.Loss a = after.getValue();
            toEnd = a.last() > last ? a.toEnd() : a.last() == last ? toEnd || a.toEnd() : toEnd;
            last = Math.max(last, a.last());
            losses.remove(after.getKey());
        }
        losses.put(first, new JournalDamage.Loss(first, last, toEnd, where));
        if (grew) {
            LOG.warn("journal {}: {}", directory, loss);
        }
    }

    @Override
    public synchronized void damagedDocument(long index, String why) {
        if (damagedDocuments.size() < 1_000_000 && damagedDocuments.add(index)) {
            LOG.warn("journal {}: the excerpt at index {} is damaged and skipped: {}", directory,
                    Long.toHexString(index), why);
        }
    }

    @Override
    public synchronized void problem(String what) {
        if (problems.size() < PROBLEMS_REMEMBERED && problems.add(what)) {
            LOG.warn("journal {}: {}", directory, what);
        }
    }

    /** What has been found so far. */
    public synchronized JournalDamage snapshot() {
        return new JournalDamage(List.copyOf(losses.values()), damagedDocuments.size(), new ArrayList<>(problems));
    }
}
