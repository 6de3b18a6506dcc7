package dev.myrmex.journal.internal;

import dev.myrmex.journal.JournalDamage;
import java.io.File;

/**
 * Checks a read that goes newest first against the journal's numbering (see {@link RecordDescriptor}): the newest
 * record must be the last acknowledged one, each next one the one before, and a read that reaches the oldest must end
 * at record #0. One per read; not thread-safe.
 */
public final class BackwardCheck {
    private final DamageSink sink;
    private final long acknowledged;
    private long previous = -1; // the sequence number of the last record read (the next one in journal order)
    private long previousIndex; // and its place, named only when a loss is reported
    private File previousFile;

    /** A check of a read that begins with {@code acknowledged} records acknowledged (-1: that count is unreadable). */
    public BackwardCheck(DamageSink sink, long acknowledged) {
        this.sink = sink;
        this.acknowledged = acknowledged;
    }

    /**
     * A good record, number {@code sequence}, read at Chronicle {@code index} in {@code file}; false if it must be
     * skipped (out of order).
     */
    public boolean record(long sequence, long index, File file) {
        if (previous < 0) {
            if (sequence + 1 < acknowledged) {
                sink.lost(new JournalDamage.Loss(sequence + 1, acknowledged - 1, true, "the newest readable record"
                        + " is #" + sequence + " (at " + Places.of(index, file) + "), and " + acknowledged
                        + " were acknowledged"));
            }
        } else if (sequence >= previous) {
            sink.problem("record #" + sequence + " at " + Places.of(index, file) + " comes before #" + previous
                    + " (at " + Places.of(previousIndex, previousFile) + ") reading newest first: skipped");
            return false;
        } else if (sequence < previous - 1) {
            sink.lost(new JournalDamage.Loss(sequence + 1, previous - 1, false, "missing between "
                    + Places.of(index, file) + " and " + Places.of(previousIndex, previousFile)));
        }
        previous = sequence;
        previousIndex = index;
        previousFile = file;
        return true;
    }

    /** The read went back as far as the journal goes: what comes before its oldest record is lost. */
    public void reachedStart() {
        if (previous < 0 && acknowledged > 0) {
            sink.lost(new JournalDamage.Loss(0, acknowledged - 1, true, "no record is readable, and " + acknowledged
                    + " were acknowledged"));
        } else if (previous > 0) {
            sink.lost(new JournalDamage.Loss(0, previous - 1, false, "missing before the oldest readable record, #"
                    + previous + " at " + Places.of(previousIndex, previousFile)));
        }
    }
}
