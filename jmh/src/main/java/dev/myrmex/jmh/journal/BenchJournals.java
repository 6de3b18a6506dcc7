package dev.myrmex.jmh.journal;

import dev.myrmex.core.journal.EventJournal;
import dev.myrmex.core.journal.ForwardingJournal;
import dev.myrmex.core.journal.JournalRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** What the journal benchmarks share: scratch directories, and a journal that counts what reached it. */
final class BenchJournals {
    private BenchJournals() {
    }

    /** A new empty directory under the system's temp directory. */
    static Path scratch(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code dir} and everything in it; null is nothing. */
    static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A journal that tells how many records its delegate has appended, so a benchmark thread can wait for one.
     * Appends come from the runtime's one writer thread; {@link #appended()} is read by any thread. The count is
     * raised after the delegate's append returns, so a reader that sees it sees the records appended.
     */
    static final class Counting extends ForwardingJournal {
        private volatile long appended; // written by the appending thread only

        Counting(EventJournal delegate) {
            super(delegate);
        }

        long appended() {
            return appended;
        }

        @Override
        public void append(List<? extends JournalRecord> batch) {
            super.append(batch);
            appended += batch.size();
        }
    }
}
