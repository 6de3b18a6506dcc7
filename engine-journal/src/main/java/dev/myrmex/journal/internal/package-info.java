/**
 * The journal on disk: how its promises are kept.
 *
 * <h2>The invariant</h2>
 * Every record numbered below the acknowledged count ({@link dev.myrmex.journal.internal.AckFile}) can be read, in
 * order, by a reader that starts at the journal's first record. Everything else follows from it: an append returns
 * only once the invariant holds for its records, and a read that cannot reach a record below the count has found a
 * loss, of a size it knows.
 *
 * <h2>The write protocol ({@link dev.myrmex.journal.internal.VerifiedAppender})</h2>
 * <ol>
 *   <li>Open: take the directory's lock ({@link dev.myrmex.journal.internal.JournalLock}); check every file can be
 *       written and Chronicle's metadata is Chronicle's ({@link dev.myrmex.journal.internal.ChronicleFiles}); read
 *       the whole journal with one tailer, checking it ({@link dev.myrmex.journal.internal.ForwardCheck}). Any damage
 *       refuses the open: appends after damage may land where readers never arrive (after a truncation, Chronicle's
 *       appender writes past the zeros where its readers stop). The tailer, now at the end, is kept.</li>
 *   <li>Append a batch: each record with the next number; sync for {@code POWER_LOSS}.</li>
 *   <li>Read the batch back with the kept tailer: each record must come next, of its length, with its number. This
 *       is the invariant, checked for these records where it is made.</li>
 *   <li>Store the new count. Only then return.</li>
 * </ol>
 * A failure at any step throws and stops the appender for good: the state of the files after a failed append is
 * unknown, and the next open checks them.
 *
 * <h2>The read checks ({@link dev.myrmex.journal.internal.JournalReader})</h2>
 * A read takes the acknowledged count first, then reads. Records counted before it began are all there for it (by
 * the invariant), so a writer appending meanwhile causes no false loss; a record read with a number above the last
 * one plus one, or a count not reached, is a loss of exactly the records between. A checksum is what makes a damaged
 * record a gap instead of a wrong record.
 *
 * <h2>Re-check after a change</h2>
 * <ul>
 *   <li>The count is stored after the read-back, never before (else a crash between them claims records that may
 *       not be readable).</li>
 *   <li>Readers read the count before the records (else a concurrent append looks like a loss).</li>
 *   <li>Nothing opens the lock file but {@code JournalLock} (a POSIX record lock goes when any descriptor of its file
 *       is closed in the holding process).</li>
 *   <li>A new way for Chronicle to fail a read is caught as damage, and what a read's caller throws is not.</li>
 * </ul>
 * {@code DamageFuzzTest}, {@code RepairTest}, {@code KillRecoveryTest}, {@code DiskFaultTest} and
 * {@code JournalLockTest} are the proof.
 */
package dev.myrmex.journal.internal;
