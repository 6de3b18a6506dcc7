package dev.myrmex.journal;

import dev.myrmex.core.journal.JournalException;
import java.nio.file.Path;

/**
 * The journal was written in a format this build cannot read: by a newer Myrmex, or its format marker is unreadable.
 * Nothing is read or written; open it with the version that wrote it (or newer).
 */
public final class JournalFormatException extends JournalException {
    public JournalFormatException(Path directory, String message) {
        super(directory, message);
    }
}
