package dev.myrmex.journal;

import java.nio.file.Path;

/** A journal directory cannot be used as asked: the message says which directory and why. */
public class JournalException extends RuntimeException {
    private final Path directory;

    public JournalException(Path directory, String message) {
        super(message);
        this.directory = directory;
    }

    public JournalException(Path directory, String message, Throwable cause) {
        super(message, cause);
        this.directory = directory;
    }

    /** The directory concerned. */
    public Path directory() {
        return directory;
    }
}
