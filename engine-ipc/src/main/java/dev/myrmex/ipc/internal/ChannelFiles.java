package dev.myrmex.ipc.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of an agent's files in the channel directory, and the sweep of those a dead parent left behind.
 *
 * <p>A parent names its files {@code AGENT-PID-SEQ.chan} (the channel) and {@code AGENT-PID-SEQ.log} (the child's
 * output): {@code PID} is the parent's process id, {@code SEQ} counts the channels it made. It deletes them when the
 * agent ends; a parent that is killed (SIGKILL, the kernel's out-of-memory killer) cannot, and in {@code /dev/shm}
 * they would hold memory until the next boot. So the first time a process places an agent in a directory, it deletes
 * every such file whose owner no longer runs ({@link Posix#alive} of the pid is false: no such process, or a zombie).
 * A file whose pid belongs to a live process is kept, whoever that process is now: a pid the kernel has reused for an
 * unrelated process keeps a stale file alive until that process ends too, which errs on the safe side.
 */
public final class ChannelFiles {
    /** {@code AGENT-PID-SEQ.chan|log}; the agent's name is sanitised and may itself hold dashes and digits. */
    private static final Pattern NAME = Pattern.compile("(.+)-(\\d{1,19})-(\\d{1,19})\\.(chan|log)");
    /** The directories this process has swept (once each). */
    private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

    private ChannelFiles() {
    }

    /**
     * The name, without extension, of the {@code seq}-th channel made by process {@code pid} for agent {@code agent}.
     */
    public static String baseName(String agent, long pid, long seq) {
        return agent.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + pid + "-" + seq;
    }

    /** The process id of the parent that made the file called {@code fileName}, or -1 if it is not such a file. */
    public static long owner(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return -1;
        }
        try {
            return Long.parseLong(m.group(2));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Sweeps {@code dir} ({@link #sweep}) unless this process has already. */
    public static void sweepOnce(Path dir) throws IOException {
        if (SWEPT.add(dir.toAbsolutePath().normalize())) {
            sweep(dir);
        }
    }

    /**
     * Deletes the channel and output files in {@code dir} whose owner is gone (never this process's own).
     *
     * @return how many it deleted
     */
    public static int sweep(Path dir) throws IOException {
        long self = ProcessHandle.current().pid();
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                long owner = owner(f.getFileName().toString());
                if (owner > 0 && owner != self && !Posix.alive(owner) && Files.deleteIfExists(f)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }
}
