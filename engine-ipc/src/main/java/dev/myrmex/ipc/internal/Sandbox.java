package dev.myrmex.ipc.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The default sandbox of a child JVM, built from the kernel's own mechanisms; the child cannot undo any of it.
 *
 * <h2>What the command does, step by step</h2>
 * <ol>
 *   <li>{@code setpriv --pdeathsig KILL}: the kernel kills the sandbox's outer process when the thread that forked it
 *       ends; {@link ChildLauncher} forks every child from one thread that lives as long as this JVM, so this means
 *       when the parent dies.</li>
 *   <li>{@code unshare --user --map-root-user --pid --fork --kill-child --mount --mount-proc --ipc} (and
 *       {@code --net} without the network): new user, PID, mount and IPC namespaces, a /proc that shows only the
 *       sandbox's processes, and the forked init killed with unshare. A process in a PID namespace cannot name, so
 *       cannot signal, any process outside it; when its init exits, the kernel kills every process left in it, and
 *       unshare exits only after that.</li>
 *   <li>The setup script ({@link #SETUP}), as root of the new user namespace: joins the pids cgroup if there is one;
 *       mounts an empty tmpfs over every channel directory it must hide (this JVM's, the user's default one, /dev/shm
 *       and /sys/fs/cgroup); binds the agent's own channel file back at its path; forbids nested user namespaces
 *       ({@code user.max_user_namespaces = 0} in its namespace); makes /proc/sys read-only (a child of a root parent
 *       is uid 0 to the kernel, and uid 0 may write most sysctls without a capability); then drops every capability,
 *       the bounding set included, sets {@code no_new_privs} and runs the init, a shell that runs the JVM and exits
 *       with its status.</li>
 * </ol>
 * The child is thus root of its own user namespace without a single capability, and cannot get one: not by exec (the
 * bounding set is empty and {@code no_new_privs} is set), not from a nested user namespace (none may be made). Without
 * {@code CAP_SYS_ADMIN} it can neither unmount the tmpfs over a channel directory nor mount a file system to see past
 * it; without {@code CAP_SYS_RESOURCE} it can raise no hard rlimit nor write a user-namespace sysctl.
 *
 * <h2>What it does not isolate</h2>
 * The rest of the file system: files the parent's user may open, the agent may open too (a user namespace maps the
 * parent's user to the child's root). Under a root parent that is every root-owned file: the sandbox is then no
 * boundary for the file system, and a parent that runs untrusted code should run as an unprivileged user. A channel
 * directory another parent process chose ({@code directory(...)} outside /dev/shm) is not known here, so not hidden.
 * With the network allowed, the network namespace is the host's (abstract Unix sockets included).
 *
 * <p>Probed once per JVM and network setting, by running the command with {@code true} as the program: where the
 * system allows no such namespaces, {@link #unavailable} says why, and the spawn fails.
 */
public final class Sandbox {
    /** Where the tools live; the sandbox needs absolute paths (the child's PATH is the user's). */
    private static final List<String> BIN = List.of("/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/");
    /** Size of each hiding tmpfs: enough for the placeholder of the agent's channel; not a place to store data. */
    private static final String HIDE_OPTIONS = "mode=0700,size=1m,nr_inodes=256,nosuid,nodev,noexec";
    private static final Set<Path> CHANNEL_DIRECTORIES = ConcurrentHashMap.newKeySet();
    private static final Map<Boolean, String> PROBED = new ConcurrentHashMap<>();

    /**
     * The setup, run by /bin/sh as root of the new user namespace. Arguments: the pids cgroup's procs file or "-", the
     * channel file, the number of directories to hide, those directories, then the program and its arguments. Exits
     * {@link ChildLauncher#START_FAILED} with the reason on stderr if any step fails.
     */
    private static final String SETUP = """
            fail() { echo "myrmex sandbox: $*" >&2; exit %d; }
            procs=$1; chan=$2; n=$3; shift 3
            if [ "$procs" != - ]; then echo 0 > "$procs" || fail "cannot join the pids cgroup $procs"; fi
            [ -f "$chan" ] || fail "no channel file $chan"
            exec 3< "$chan"
            while [ "$n" -gt 0 ]; do
                %s -t tmpfs -o %s myrmex-hidden "$1" || fail "cannot hide $1"
                shift; n=$((n - 1))
            done
            %s -p "${chan%%/*}" && { [ -e "$chan" ] || : > "$chan"; } \\
                && %s --no-canonicalize --bind /proc/self/fd/3 "$chan" || fail "cannot bind the channel $chan back"
            exec 3<&-
            echo 0 > /proc/sys/user/max_user_namespaces || fail "cannot forbid nested user namespaces"
            %s --bind /proc/sys /proc/sys && %s -o remount,bind,ro /proc/sys || fail "cannot make /proc/sys read-only"
            exec %s --bounding-set=-all --inh-caps=-all --no-new-privs -- /bin/sh -c '"$@"; exit $?' myrmex-init "$@"
            """.formatted(ChildLauncher.START_FAILED, tool("mount"), HIDE_OPTIONS, tool("mkdir"), tool("mount"),
            tool("mount"), tool("mount"), tool("setpriv"));

    private Sandbox() {
    }

    /** Records {@code dir} as a channel directory of this JVM: every sandbox started from now on hides it. */
    public static void channelDirectory(Path dir) {
        try {
            CHANNEL_DIRECTORIES.add(dir.toRealPath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve channel directory " + dir, e);
        }
    }

    /**
     * Why this system cannot run a sandbox (with the network or without), or null if it can. Probed once per setting.
     */
    public static String unavailable(boolean network) {
        return PROBED.computeIfAbsent(network, Sandbox::probe).transform(s -> s.isEmpty() ? null : s);
    }

    /**
     * The command that runs {@code program} in a sandbox whose channel file is {@code channel}.
     *
     * @param procs the pids cgroup's procs file to join, or null for none
     * @throws IllegalStateException if a directory to hide holds what the child needs (the JDK or the classpath)
     */
    static List<String> command(Path channel, boolean network, Path procs, List<String> program) throws IOException {
        Path own = channel.toRealPath();
        List<String> cmd = new ArrayList<>(List.of(tool("setpriv"), "--pdeathsig", "KILL", "--", tool("unshare"),
                "--user", "--map-root-user", "--pid", "--fork", "--kill-child", "--mount", "--mount-proc",
                "--propagation", "private", "--ipc"));
        if (!network) {
            cmd.add("--net");
        }
        List<Path> hidden = hidden(own.getParent());
        cmd.addAll(List.of("--", "/bin/sh", "-c", SETUP, "myrmex-sandbox", procs == null ? "-" : procs.toString(),
                own.toString(), Integer.toString(hidden.size())));
        hidden.forEach(d -> cmd.add(d.toString()));
        cmd.addAll(program);
        return cmd;
    }

    /**
     * The directories to mount over: the channel directories, the user's default one, /dev/shm (other programs'
     * shared memory) and /sys/fs/cgroup; those that exist, none inside another (the outer mount hides it already).
     */
    private static List<Path> hidden(Path ownDirectory) throws IOException {
        List<Path> needed = new ArrayList<>();
        needed.add(Path.of(System.getProperty("java.home")));
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty() && Files.exists(Path.of(entry))) {
                needed.add(Path.of(entry).toRealPath());
            }
        }
        TreeSet<Path> candidates = new TreeSet<>(CHANNEL_DIRECTORIES);
        candidates.add(ownDirectory);
        Path def = PrivateDirectory.defaultPath();
        if (Files.isDirectory(def)) {
            candidates.add(def.toRealPath());
        }
        for (String system : List.of("/dev/shm", "/sys/fs/cgroup")) {
            Path p = Path.of(system);
            if (Files.isDirectory(p) && needed.stream().noneMatch(n -> n.toAbsolutePath().startsWith(p))) {
                candidates.add(p.toRealPath());
            }
        }
        List<Path> out = new ArrayList<>();
        for (Path c : candidates) { // sorted: a directory comes before those inside it
            if (!Files.isDirectory(c) || (!out.isEmpty() && out.stream().anyMatch(c::startsWith))) {
                continue;
            }
            for (Path n : needed) {
                if (n.startsWith(c)) {
                    throw new IllegalStateException("the sandbox hides the channel directory " + c + " from the"
                            + " child, but the child needs " + n + " in it: put channels somewhere else");
                }
            }
            out.add(c);
        }
        return out;
    }

    /** Runs {@code true} in a sandbox; "" if it worked, else why not. */
    private static String probe(boolean network) {
        Path dir = null;
        Path file = null;
        try {
            dir = Files.createTempDirectory("myrmex-sandbox-probe");
            file = PrivateDirectory.createFile(dir.resolve("probe.chan"));
            Process p = new ProcessBuilder(command(file, network, null, List.of(tool("true"))))
                    .redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "the sandbox did not start within 10 s";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 ? "" : "exit status " + p.exitValue() + (out.isEmpty() ? "" : ": " + out);
        } catch (IOException | RuntimeException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while probing";
        } finally {
            try {
                if (file != null) {
                    Files.deleteIfExists(file);
                }
                if (dir != null) {
                    Files.deleteIfExists(dir);
                }
            } catch (IOException e) {
                // a leftover empty probe directory in the temp directory is harmless
            }
        }
    }

    /** The absolute path of a tool (util-linux, coreutils), or its bare name (the probe then says it is missing). */
    private static String tool(String name) {
        for (String dir : BIN) {
            if (Files.isExecutable(Path.of(dir + name))) {
                return dir + name;
            }
        }
        return name;
    }
}
