package dev.myrmex.journal.internal;

import dev.myrmex.core.journal.JournalException;
import dev.myrmex.journal.JournalFormatException;
import dev.myrmex.journal.NotAJournalException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The checks made before Chronicle Queue is let near a directory: that it is a Myrmex journal (its marker file says
 * so), in a format this build reads. A directory without the marker is never written to unless it is empty, so
 * pointing the journal at the wrong place cannot scribble over someone's files. A new journal gets its count of
 * acknowledged records ({@link AckFile}) first and its marker last: a directory with a marker has both.
 */
public final class JournalDirectory {
    /** The marker: a properties file with the format version. */
    public static final String MARKER = "myrmex-journal.properties";
    /** What a creation writes before the marker: a directory holding only these is still empty. */
    private static final List<String> CREATION_FILES = List.of(MARKER + ".tmp", AckFileDescriptor.FILE_NAME,
            AckFileDescriptor.FILE_NAME + ".tmp", JournalLock.FILE_NAME, ChronicleFiles.PROBE);

    private JournalDirectory() {
    }

    /**
     * Checks that {@code dir} is a journal, or (when {@code create}) missing or empty, writing nothing: true if it
     * is a journal.
     *
     * @throws NotAJournalException   if it holds other files and no marker, is a file, or is missing and not to be
     *                                created
     * @throws JournalFormatException if another format wrote it, or its marker does not parse
     */
    public static boolean check(Path dir, boolean create) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new NotAJournalException(dir, dir + " is a file, not a journal directory");
        }
        Path marker = dir.resolve(MARKER);
        if (Files.isRegularFile(marker)) {
            checkFormat(dir, marker);
            return true;
        }
        List<String> found = contents(dir);
        if (!found.isEmpty()) {
            throw new NotAJournalException(dir, dir + " is not a Myrmex journal: it has no " + MARKER + " but holds "
                    + String.join(", ", found.subList(0, Math.min(5, found.size())))
                    + (found.size() > 5 ? " and " + (found.size() - 5) + " more" : "")
                    + "; give the journal a directory of its own");
        }
        if (!create) {
            throw new NotAJournalException(dir, "no journal at " + dir
                    + (Files.exists(dir) ? " (the directory is empty)" : " (no such directory)"));
        }
        return false;
    }

    /**
     * Makes {@code dir} a journal if it is missing or empty, else checks it is one (as {@link #check}). The writer
     * calls it holding the journal's lock, so two processes cannot create one journal at once.
     */
    public static void prepare(Path dir) {
        if (!check(dir, true)) {
            writeMarker(dir, dir.resolve(MARKER));
        }
    }

    private static List<String> contents(Path dir) {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(name -> !CREATION_FILES.contains(name)) // a creation cut short: they are rewritten
                    .sorted().toList();
        } catch (IOException e) {
            throw new JournalException(dir, "cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void checkFormat(Path dir, Path marker) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(marker, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new JournalFormatException(dir, "cannot read the journal marker " + marker + ": " + e.getMessage());
        }
        String v = p.getProperty("format");
        int version;
        try {
            version = Integer.parseInt(v == null ? "" : v.trim());
        } catch (NumberFormatException e) {
            throw new JournalFormatException(dir, "the journal marker " + marker + " has no valid format version ("
                    + "format=" + v + ")");
        }
        if (version > RecordDescriptor.FORMAT_VERSION) {
            throw new JournalFormatException(dir, "the journal at " + dir + " was written in format version " + version
                    + " (by " + p.getProperty("writer", "a newer Myrmex") + "); this build reads version "
                    + RecordDescriptor.FORMAT_VERSION + ": open it with a newer Myrmex");
        }
        if (version < 1) {
            throw new JournalFormatException(dir, "the journal marker " + marker + " names format version " + version
                    + ", which never existed");
        }
        if (version < RecordDescriptor.FORMAT_VERSION) {
            String why = version == 1 ? "whose records carry no sequence numbers (so a loss cannot be counted)"
                    : "which keeps task submissions as text lines in events (so its tasks cannot be queued again)";
            throw new JournalFormatException(dir, "the journal at " + dir + " was written in format version " + version
                    + ", " + why + "; this build reads version " + RecordDescriptor.FORMAT_VERSION
                    + ": read it with the Myrmex that wrote it");
        }
    }

    private static void writeMarker(Path dir, Path marker) {
        try {
            Files.createDirectories(dir);
            AckFile.create(dir);
            Path tmp = dir.resolve(MARKER + ".tmp");
            Properties p = new Properties();
            p.setProperty("format", Integer.toString(RecordDescriptor.FORMAT_VERSION));
            p.setProperty("writer", "Myrmex engine-journal");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "A Myrmex event journal (Chronicle Queue). Do not edit.");
            }
            Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new JournalException(dir, "cannot create a journal at " + dir + ": " + e.getMessage(), e);
        }
    }
}
