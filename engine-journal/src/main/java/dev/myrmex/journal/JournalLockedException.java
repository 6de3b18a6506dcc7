package dev.myrmex.journal;

import dev.myrmex.core.journal.JournalException;
import java.nio.file.Path;

/**
 * Another writer has the journal open: a journal takes one writer at a time, and this one was refused at once. The
 * message names the holder's process id (from its lock file). Readers ({@link ChronicleJournal#openExisting}, the
 * journal tool's tail, query, export and verify) need no lock and may read while it writes.
 */
public final class JournalLockedException extends JournalException {
    private final long holderPid;

    public JournalLockedException(Path directory, Path lockFile, long holderPid, boolean thisProcess) {
        super(directory, "journal " + directory + " is in use by " + (thisProcess ? "this process (pid " + holderPid
                + "), which has it open already" : holderPid > 0 ? "process " + holderPid
                : "another process (whose id is not yet in the lock file)") + ": it holds " + lockFile
                + ". A journal takes one writer at a time: stop that one first. Reading needs no lock: myrmex journal"
                + " tail, query, export and verify work while it runs.");
        this.holderPid = holderPid;
    }

    /** The process id of the writer holding the journal; -1 if its lock file did not say yet. */
    public long holderPid() {
        return holderPid;
    }
}
