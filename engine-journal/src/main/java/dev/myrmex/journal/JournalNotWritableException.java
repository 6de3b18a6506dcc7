package dev.myrmex.journal;

import dev.myrmex.core.journal.JournalException;
import java.nio.file.Path;

/**
 * A journal opened for writing has a file (or a directory) that cannot be written: read-only permissions, a read-only
 * mount. Refused at open, naming the file, rather than opened and then failing (or silently not writing) at every
 * append.
 */
public final class JournalNotWritableException extends JournalException {
    private final transient Path file;

    public JournalNotWritableException(Path directory, Path file, String message) {
        super(directory, message);
        this.file = file;
    }

    /** The file (or directory) that cannot be written. */
    public Path file() {
        return file;
    }
}
