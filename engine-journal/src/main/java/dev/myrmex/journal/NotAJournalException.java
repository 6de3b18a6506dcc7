package dev.myrmex.journal;

import dev.myrmex.core.journal.JournalException;
import java.nio.file.Path;

/** The directory holds something other than a Myrmex journal (or nothing, where a journal was expected). */
public final class NotAJournalException extends JournalException {
    public NotAJournalException(Path directory, String message) {
        super(directory, message);
    }
}
