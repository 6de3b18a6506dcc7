package dev.myrmex.journal.internal;

import dev.myrmex.journal.JournalLockedException;
import dev.myrmex.journal.JournalNotWritableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer per journal: an exclusive operating-system lock ({@link FileChannel#tryLock()}, {@code fcntl} on Linux) on
 * {@value #FILE_NAME} in the journal's directory, which holds the writer's process id as text.
 *
 * <p>The kernel holds the lock for the process and drops it when the process ends, however it ends (SIGKILL too), so a
 * lock left by a dead writer is simply free: the next writer takes it and writes its own id over the dead one's. Only
 * the id in the file can be stale, never the lock. Readers take no lock: Chronicle Queue lets them read while the
 * writer appends.
 *
 * <p>Threads: acquire from any thread; one JVM holds one lock per directory ({@link OverlappingFileLockException} on a
 * second try is reported like another process's lock, naming this process).
 *
 * <p><b>Re-check after a change:</b> nothing in a process that may hold the lock opens the lock file other than
 * through this class. The lock is a POSIX record lock, and the kernel drops all of a process's record locks on a file
 * when any descriptor of that file is closed: a check that opens every file of the journal and closes it again (as
 * {@link ChronicleFiles} does, skipping this one) would release the lock silently, and so would a second
 * {@link #acquire} in this JVM that opened the file only to find it locked: it checks a table of this JVM's locks
 * first. {@code JournalLockTest} sees both.
 */
public final class JournalLock implements AutoCloseable {
    public static final String FILE_NAME = "myrmex-journal.lock";
    private static final Logger LOG = LoggerFactory.getLogger(JournalLock.class);

    /** The directories whose lock this JVM holds (or is taking): a second try must not even open the file. */
    private static final ConcurrentHashMap<Path, Boolean> HELD = new ConcurrentHashMap<>();

    private final FileChannel channel;
    private final FileLock lock;
    private final Path key;

    private JournalLock(FileChannel channel, FileLock lock, Path key) {
        this.channel = channel;
        this.lock = lock;
        this.key = key;
    }

    /** The directory as one key whatever path names it (its real path; the absolute one if it cannot be had). */
    private static Path key(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }

    /**
     * Takes the lock of the journal in {@code dir}, at once or not at all.
     *
     * @throws JournalLockedException      if another process (or this one) holds it: the message names its process id
     * @throws JournalNotWritableException if the lock file cannot be created or written (a read-only directory)
     */
    public static JournalLock acquire(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        Path key = key(dir);
        if (HELD.putIfAbsent(key, Boolean.TRUE) != null) { // before opening the file: see "Re-check after a change"
            throw new JournalLockedException(dir, file, ProcessHandle.current().pid(), true);
        }
        try {
            return acquire(dir, file, key);
        } catch (RuntimeException e) {
            HELD.remove(key);
            throw e;
        }
    }

    private static JournalLock acquire(Path dir, Path file, Path key) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new JournalNotWritableException(dir, file, "cannot open the journal's lock file " + file
                    + " for writing: " + e + "; a journal is opened for writing only where it can be written");
        }
        try {
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) { // another class loader's copy of this one holds it
                throw new JournalLockedException(dir, file, ProcessHandle.current().pid(), true);
            }
            if (l == null) {
                throw new JournalLockedException(dir, file, holder(ch), false);
            }
            long previous = holder(ch);
            long me = ProcessHandle.current().pid();
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            if (previous > 0 && previous != me) {
                LOG.info("journal {}: took over the lock of process {}, which has ended", dir, previous);
            }
            return new JournalLock(ch, l, key);
        } catch (IOException e) {
            close(ch);
            throw new JournalNotWritableException(dir, file, "cannot write the journal's lock file " + file + ": " + e);
        } catch (RuntimeException e) {
            close(ch);
            throw e;
        }
    }

    /** The process id written in the lock file; -1 if there is none (a holder that has not written it yet). */
    private static long holder(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32);
        int n = ch.read(b, 0);
        String s = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.US_ASCII).trim();
        try {
            return s.isEmpty() ? -1 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void close(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // the open failed already; this is its cleanup
        }
    }

    /** Releases the lock (the file stays, with this process's id, which the next writer overwrites). Idempotent. */
    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                lock.release();
                channel.close();
            }
        } catch (IOException e) {
            LOG.warn("could not release the journal lock {}: {}", lock, e.toString());
        } finally {
            HELD.remove(key, Boolean.TRUE);
        }
    }
}
