package dev.myrmex.journal;

import java.util.List;

/**
 * What a journal's reads found lost, record by record ({@link ChronicleJournal#damage()}). The journal numbers its
 * records 0, 1, 2, ... and keeps the count it has acknowledged apart from its data files, so every loss has a size:
 * records missing between two readable ones, or records unreadable from some record to the end (a truncated, zeroed or
 * deleted data file, a broken header that stops the reader).
 *
 * @param losses           the lost records, as ranges in journal order, merged where reads overlap
 * @param damagedDocuments excerpts that failed their checksum (evidence of the losses, not a count of records: a
 *                         broken header can turn one record into several garbage excerpts, or hide many)
 * @param problems         damage that loses no counted record but that reads met: a record out of order, the count
 *                         of acknowledged records unreadable (so a loss at the end cannot be ruled out), a read that
 *                         failed past the last acknowledged record
 */
public record JournalDamage(List<Loss> losses, long damagedDocuments, List<String> problems) {
    /** Nothing found. */
    public static final JournalDamage NONE = new JournalDamage(List.of(), 0, List.of());

    public JournalDamage {
        losses = List.copyOf(losses);
        problems = List.copyOf(problems);
    }

    /**
     * Records {@code first} to {@code last} (both included, by their sequence numbers) are lost.
     *
     * @param toEnd true if they are unreadable from {@code first} to the end of the journal (nothing after them was
     *              read); false if records after them were read
     * @param where where the reader lost them (file and Chronicle index), and why
     */
    public record Loss(long first, long last, boolean toEnd, String where) {
        public Loss {
            if (first < 0 || last < first) {
                throw new IllegalArgumentException("a loss runs from a record to a later one: " + first + ".." + last);
            }
        }

        /** How many records. */
        public long count() {
            return last - first + 1;
        }

        @Override
        public String toString() {
            String n = count() == 1 ? "record #" + first : count() + " records (#" + first + " to #" + last + ")";
            return toEnd ? n + " unreadable from #" + first + " to the end: " + where : n + " lost: " + where;
        }
    }

    /** Records lost, in all. */
    public long lostRecords() {
        long n = 0;
        for (Loss l : losses) {
            n += l.count();
        }
        return n;
    }

    /** Whether reads found any damage at all. */
    public boolean damaged() {
        return !losses.isEmpty() || damagedDocuments > 0 || !problems.isEmpty();
    }

    /** One line: what is lost in all, then each loss and problem. */
    public String summary() {
        if (!damaged()) {
            return "no damage found";
        }
        StringBuilder b = new StringBuilder().append(lostRecords()).append(" records lost");
        for (Loss l : losses) {
            b.append("; ").append(l);
        }
        if (damagedDocuments > 0) {
            b.append("; ").append(damagedDocuments).append(" excerpts fail their checksum");
        }
        for (String p : problems) {
            b.append("; ").append(p);
        }
        return b.toString();
    }
}
