package dev.myrmex.journal;

import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;

/**
 * Test support: real file systems with real limits, made with {@code mount} (which needs root, as CI runs). A test
 * whose mount fails is aborted (skipped, with the reason), never passed. Every mount is undone by {@link #close}.
 */
final class Mounts implements AutoCloseable {
    private final List<Path> mounted = new ArrayList<>(); // undone in reverse order

    /** A tmpfs of {@code size} (such as "2m") at {@code dir}: a disk that fills up. */
    Path tmpfs(Path dir, String size) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs", dir.toString());
        mounted.add(dir);
        return dir;
    }

    /**
     * Makes the mount at {@code dir} read-only: every file on it, for root too. Chronicle unmaps a closed queue's
     * files on a background thread, and the kernel refuses the remount while a writable mapping remains ("busy"):
     * this releases them first, and tries again until none remains (at most a minute).
     */
    void remountReadOnly(Path dir) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            BackgroundResourceReleaser.releasePendingResources();
            Process p = new ProcessBuilder("mount", "-o", "remount,ro", dir.toString()).redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return;
            }
            if (!out.contains("busy") || System.nanoTime() > deadline) {
                abort("mount -o remount,ro " + dir + " failed on this machine (" + out + ")");
            }
            System.gc(); // a mapping nobody closed goes when its buffer is collected
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000); // polling the kernel, which announces nothing
        }
    }

    /** Makes {@code file} alone read-only, for root too: a read-only bind mount of it over itself. */
    void bindReadOnly(Path file) throws IOException, InterruptedException {
        run("mount", "--bind", file.toString(), file.toString());
        mounted.add(file);
        run("mount", "-o", "remount,ro,bind", file.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            abort(String.join(" ", command) + " failed on this machine (" + out + "): the test needs root and"
                    + " mount(2); the fault-injecting journal of engine-core's JournalFailureTest covers it meanwhile");
        }
    }

    @Override
    public void close() throws IOException {
        try {
            for (int i = mounted.size() - 1; i >= 0; i--) {
                Process p = new ProcessBuilder("umount", mounted.get(i).toString()).redirectErrorStream(true).start();
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    new ProcessBuilder("umount", "-l", mounted.get(i).toString()).start().waitFor(60,
                            TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unmounting " + mounted, e);
        } finally {
            mounted.clear();
        }
    }
}
