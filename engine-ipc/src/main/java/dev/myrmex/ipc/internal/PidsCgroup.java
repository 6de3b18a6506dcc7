package dev.myrmex.ipc.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The pids cgroup of one child's sandbox: the kernel's count of the tasks in it (processes and threads), with a
 * maximum that binds root too (unlike {@code RLIMIT_NPROC}, which root ignores).
 *
 * <p>The parent makes it under its own cgroup of the pids hierarchy (cgroup v1 with the pids controller, else cgroup
 * v2 where the parent's cgroup hands the pids controller down), so a child never leaves the limits its parent lives
 * under. The sandbox's init joins it first thing, before it starts anything; the sandbox then hides every cgroup file
 * system from the child (a tmpfs over /sys/fs/cgroup, and no capability to mount one), so the child can neither raise
 * the maximum nor move itself out. The group is removed once the child's process has exited, when no task is left in
 * it; groups a dead parent left behind ({@code myrmex-PID-N}) are removed at this JVM's first use.
 *
 * <p>Making a group needs write access to the hierarchy: root has it, an unprivileged user only where it was delegated.
 * {@link #unavailable()} says why not, once per JVM.
 */
final class PidsCgroup {
    private static final String PREFIX = "myrmex-";
    private static final AtomicLong GROUPS = new AtomicLong();
    /** How long a removal retries while the last tasks of the group finish exiting: 100 x 10 ms. */
    private static final int REMOVE_TRIES = 100;

    private static final class Base {
        static final Path DIR;
        static final String UNAVAILABLE;

        static {
            Path dir = null;
            String why;
            try {
                dir = locate();
                why = dir == null ? "no pids cgroup hierarchy is mounted (cgroup v1 with pids, or cgroup v2 whose"
                        + " cgroup of this process hands down the pids controller)" : null;
                if (dir != null && !Files.isWritable(dir)) {
                    why = "the pids cgroup " + dir + " is not writable by this user (it was not delegated)";
                }
            } catch (IOException | RuntimeException e) {
                why = "cannot read this process's cgroups: " + e;
            }
            if (why == null) {
                sweep(dir);
            }
            DIR = why == null ? dir : null;
            UNAVAILABLE = why;
        }
    }

    private final Path dir;

    private PidsCgroup(Path dir) {
        this.dir = dir;
    }

    /** Why no pids cgroup can be made here, or null if one can. */
    static String unavailable() {
        return Base.UNAVAILABLE;
    }

    /**
     * Makes a new group whose tasks may number at most {@code max}.
     *
     * @throws IOException if it cannot be made or limited
     */
    static PidsCgroup create(int max) throws IOException {
        if (Base.UNAVAILABLE != null) {
            throw new IOException("no pids cgroup: " + Base.UNAVAILABLE);
        }
        Path dir = Base.DIR.resolve(PREFIX + ProcessHandle.current().pid() + "-" + GROUPS.incrementAndGet());
        Files.createDirectory(dir);
        try {
            Files.writeString(dir.resolve("pids.max"), Integer.toString(max));
        } catch (IOException e) {
            Files.deleteIfExists(dir);
            throw e;
        }
        return new PidsCgroup(dir);
    }

    /** The file a task writes "0" to, to join the group. */
    Path procs() {
        return dir.resolve("cgroup.procs");
    }

    /**
     * Removes the group; only once its child has exited. Retries while the last tasks finish exiting, then leaves it
     * (an empty group is harmless, and the next JVM's sweep removes it).
     */
    void remove() {
        for (int i = 0; i < REMOVE_TRIES; i++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException busy) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    /**
     * This process's cgroup directory in a pids hierarchy: from /proc/self/cgroup (which cgroup) and
     * /proc/self/mountinfo (where that hierarchy is mounted, and which of its directories the mount shows).
     */
    private static Path locate() throws IOException {
        List<String> cgroups = Files.readAllLines(Path.of("/proc/self/cgroup"));
        List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo"));
        for (boolean v1 : new boolean[] {true, false}) {
            String own = null; // this process's cgroup path in the hierarchy
            for (String line : cgroups) { // "hierarchy-id:controllers:path"
                String[] f = line.split(":", 3);
                if (f.length == 3 && (v1 ? List.of(f[1].split(",")).contains("pids") : f[0].equals("0"))) {
                    own = f[2];
                }
            }
            if (own == null) {
                continue;
            }
            for (String line : mounts) { // "id parent major:minor root mountpoint options ... - fstype source super"
                int dash = line.indexOf(" - ");
                if (dash < 0) {
                    continue;
                }
                String[] f = line.substring(0, dash).split(" ");
                String[] t = line.substring(dash + 3).split(" ");
                boolean match = v1 ? t[0].equals("cgroup") && t.length > 2 && List.of(t[2].split(",")).contains("pids")
                        : t[0].equals("cgroup2");
                if (!match || f.length < 5 || !(own + "/").startsWith(f[3].equals("/") ? "/" : f[3] + "/")) {
                    continue;
                }
                Path dir = Path.of(f[4] + own.substring(f[3].equals("/") ? 0 : f[3].length()));
                if (v1 || handsDownPids(dir)) {
                    return dir;
                }
            }
        }
        return null;
    }

    private static boolean handsDownPids(Path v2dir) throws IOException {
        Path control = v2dir.resolve("cgroup.subtree_control");
        return Files.exists(control) && List.of(Files.readString(control).strip().split(" ")).contains("pids");
    }

    /** Removes the groups of parents that are gone (a group still holding tasks refuses, and stays). */
    private static void sweep(Path base) {
        try (DirectoryStream<Path> groups = Files.newDirectoryStream(base, PREFIX + "*-*")) {
            for (Path g : groups) {
                String name = g.getFileName().toString();
                String pid = name.substring(PREFIX.length(), name.lastIndexOf('-'));
                if (pid.chars().allMatch(Character::isDigit) && !pid.isEmpty()
                        && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
                    try {
                        Files.deleteIfExists(g);
                    } catch (IOException stillInUse) {
                        // tasks of a dead parent's child live on in it (not ours to kill); left as it is
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // a sweep that cannot list leaves old groups behind; making new ones is unaffected
        }
    }
}
