package dev.myrmex.journal.internal;

import dev.myrmex.core.journal.JournalException;
import dev.myrmex.journal.JournalDamage;
import dev.myrmex.journal.JournalDamagedException;
import dev.myrmex.journal.JournalNotWritableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks of a journal's files made before Chronicle Queue opens them, so that what Chronicle would meet slowly or
 * silently is refused at once, naming the file: a file that cannot be written (Chronicle falls back to read-only mode
 * and only logs it) and a metadata file that is not Chronicle's (Chronicle retries a lock on it for 10 s, then says
 * "Unable to claim exclusive lock").
 */
public final class ChronicleFiles {
    /** Chronicle Queue's metadata (roll cycle, cycle listing, locks): rebuilt from the cycle files if missing. */
    public static final String METADATA = "metadata.cq4t";
    /** A file made and deleted to prove new files can be made (new roll cycles need that). */
    static final String PROBE = "myrmex-journal.probe";
    private static final int NOT_COMPLETE = 0x8000_0000;
    private static final int META_DATA = 0x4000_0000;
    private static final int LENGTH_MASK = 0x3fff_ffff;
    private static final int PEEK = 4096;

    private ChronicleFiles() {
    }

    /**
     * Checks that every file in the journal can be written, and new files made.
     *
     * @throws JournalNotWritableException naming the first that cannot
     */
    public static void checkWritable(Path dir) {
        for (Path f : filesButTheLock(dir)) {
            IOException e = unwritable(f);
            if (e != null) {
                throw new JournalNotWritableException(dir, f, "journal " + dir + " cannot be opened for writing: " + f
                        + " is not writable (" + e + "); open it with ChronicleJournal.openExisting (or the journal"
                        + " tool) to read it");
            }
        }
        Path probe = dir.resolve(PROBE);
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            Files.delete(probe);
        } catch (IOException e) {
            throw new JournalNotWritableException(dir, dir, "journal " + dir + " cannot be opened for writing: no file"
                    + " can be made in it (" + e + "), and every new roll cycle needs one");
        }
    }

    /** Whether some file of the journal cannot be opened for writing: then it is read in Chronicle's read-only mode. */
    public static boolean anyUnwritable(Path dir) {
        return filesButTheLock(dir).stream().anyMatch(f -> unwritable(f) != null);
    }

    /**
     * The files to open for a check: never the lock file, as closing any descriptor of it drops this process's lock
     * on it (POSIX record locks), which a writer in this process may hold.
     */
    private static List<Path> filesButTheLock(Path dir) {
        return files(dir).stream().filter(f -> !f.getFileName().toString().equals(JournalLock.FILE_NAME)).toList();
    }

    private static IOException unwritable(Path f) {
        try {
            FileChannel.open(f, StandardOpenOption.WRITE).close(); // opened for writing: enough
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    /**
     * Checks that Chronicle's metadata file is missing, all zero (Chronicle writes it anew: it rebuilds the cycle
     * listing from the files) or starts as Chronicle's own: a complete header holding its table store.
     *
     * @throws JournalDamagedException if it is something else
     */
    public static void checkMetadata(Path dir) {
        Path f = dir.resolve(METADATA);
        if (!Files.isRegularFile(f)) {
            return;
        }
        ByteBuffer b = ByteBuffer.allocate(PEEK).order(ByteOrder.LITTLE_ENDIAN);
        long size;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            size = ch.size();
            while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
                // the first page, or the whole file if it is shorter
            }
        } catch (IOException e) {
            throw new JournalException(dir, "cannot read Chronicle's metadata file " + f + ": " + e, e);
        }
        int n = b.position();
        if (allZero(b, n)) {
            return;
        }
        int header = n >= 4 ? b.getInt(0) : 0;
        int length = header & LENGTH_MASK;
        String text = n > 4 ? new String(b.array(), 4, Math.min(n - 4, 32), StandardCharsets.ISO_8859_1) : "";
        boolean ok = n >= 4 && (header & NOT_COMPLETE) == 0 && (header & META_DATA) != 0 && length >= 16
                && length + 4L <= size && text.contains("header") && text.contains("STStore");
        if (!ok) {
            String start = HexFormat.of().formatHex(b.array(), 0, Math.min(n, 16));
            throw new JournalDamagedException(dir, new JournalDamage(List.of(), 0, List.of(f + " is not Chronicle"
                    + " Queue's metadata (it starts with " + start + "): it was overwritten or damaged")),
                    "its metadata file");
        }
    }

    private static boolean allZero(ByteBuffer b, int n) {
        for (int i = 0; i < n; i++) {
            if (b.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The regular files in the journal's directory (not its subdirectories), sorted by name. */
    public static List<Path> files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new JournalException(dir, "cannot list " + dir + ": " + e, e);
        }
    }
}
