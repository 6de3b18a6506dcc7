package dev.myrmex.journal.internal;

import dev.myrmex.journal.JournalDamage;
import java.io.File;

/**
 * Checks a read that goes oldest first against the journal's numbering (see {@link RecordDescriptor}): each record
 * must be the one after the last, and the records must reach the count the journal acknowledged. A gap is a loss of
 * exactly its size; an early end is a loss from the first missing record to the end. One per read; not thread-safe.
 */
public final class ForwardCheck {
    private final DamageSink sink;
    private long expected; // the sequence number the next record must have
    private long damagedSinceGood; // excerpts that failed their checksum since the last good record
    private long lastIndex = -1; // the Chronicle index of the last good record; -1: none yet
    private File lastFile;

    /** A check of a read that starts at record {@code first} (0: the journal's first). */
    public ForwardCheck(DamageSink sink, long first) {
        this.sink = sink;
        this.expected = first;
    }

    /**
     * A good record, number {@code sequence}, read at Chronicle {@code index} in {@code file}. Reports the gap before
     * it, if any; returns false if it must be skipped: it is out of order (a record the read has had already).
     */
    public boolean record(long sequence, long index, File file) {
        if (sequence < expected) {
            sink.problem("record #" + sequence + " appears again at " + Places.of(index, file) + " after #"
                    + (expected - 1) + " (at " + lastPlace() + "): skipped");
            return false;
        }
        if (sequence > expected) {
            sink.lost(new JournalDamage.Loss(expected, sequence - 1, false, "missing between " + lastPlace() + " and "
                    + Places.of(index, file) + damagedNote()));
        }
        expected = sequence + 1;
        damagedSinceGood = 0;
        lastIndex = index;
        lastFile = file;
        return true;
    }

    private String lastPlace() {
        return lastIndex < 0 ? "the start of the journal" : "record #" + (expected - 1) + " (" + Places.of(lastIndex,
                lastFile) + ")";
    }

    /** An excerpt at {@code index} that failed its checksum or did not parse. */
    public void damaged(long index, String why) {
        damagedSinceGood++;
        sink.damagedDocument(index, why);
    }

    /**
     * The read found no more records (or failed with {@code cause}, else null), with {@code acknowledged} records
     * acknowledged when it began (-1 if that count is unreadable, a problem reported apart). Reports the records
     * missing at the end.
     */
    public void end(long acknowledged, Throwable cause) {
        long lastLost = Math.max(acknowledged, expected + damagedSinceGood) - 1;
        String why = cause != null ? "reading fails there: " + cause
                : acknowledged > expected ? acknowledged + " were acknowledged" : "";
        if (lastLost >= expected) {
            sink.lost(new JournalDamage.Loss(expected, lastLost, true, "the readable records end after " + lastPlace()
                    + (why.isEmpty() ? "" : "; " + why) + damagedNote()));
        } else if (cause != null) {
            sink.problem("reading fails after the last acknowledged record, " + lastPlace() + ": " + cause);
        }
    }

    /** The sequence number the next record must have: the records read so far, from the start. */
    public long expected() {
        return expected;
    }

    private String damagedNote() {
        return damagedSinceGood == 0 ? "" : " (" + damagedSinceGood + " excerpts there fail their checksum)";
    }
}
