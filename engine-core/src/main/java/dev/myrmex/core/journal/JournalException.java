package dev.myrmex.core.journal;

import java.nio.file.Path;

/**
 * A journal cannot do what was asked, and the message says what and why: a directory that cannot be used, damage, a
 * lock held by another process, or an append that failed (so the records it carried are not in the journal and a
 * flush cannot promise they are).
 *
 * <p>An {@link IllegalStateException}: the journal's state (its files, its disk, another process) refuses the
 * operation, not the caller's arguments.
 */
public class JournalException extends IllegalStateException {
    private final transient Path directory;

    /** A failure of a journal that lives in no directory (or whose directory is not known here). */
    public JournalException(String message, Throwable cause) {
        super(message, cause);
        this.directory = null;
    }

    public JournalException(Path directory, String message) {
        super(message);
        this.directory = directory;
    }

    public JournalException(Path directory, String message, Throwable cause) {
        super(message, cause);
        this.directory = directory;
    }

    /** The directory concerned; null for a journal that has none. */
    public Path directory() {
        return directory;
    }
}
