package dev.myrmex.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.ipc.internal.ChildLauncher;
import dev.myrmex.testkit.Await;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox under a parent JVM of its own ({@link SandboxParent}): an unprivileged one, whose child is contained the
 * same way as a root parent's (its process limit then is {@code RLIMIT_NPROC}, counted per user namespace) and dies
 * with it; and one on a system where no user namespace may be made, whose spawns fail with the reason.
 */
class SandboxParentTest {
    private static final Duration T = Duration.ofSeconds(90);
    private static final int NOBODY = 65534;
    @TempDir
    Path tmp;
    private final List<Long> toKill = new ArrayList<>();
    private final Map<String, String> said = new ConcurrentHashMap<>();
    private final StringBuffer output = new StringBuffer();

    @AfterEach
    void killEverything() {
        toKill.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void anUnprivilegedParentsChildIsContainedAndDiesWithItsParent() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x")); // nobody may pass through
        Path base = Files.createDirectory(tmp.resolve("nobody"));
        Files.setOwner(base, base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        Process parent = start(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"),
                readableClasspath(), base);
        assertEquals(Integer.toString(NOBODY), Files.readString(Path.of("/proc/" + parent.pid() + "/status"))
                .lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[1]);

        assertEquals("false No such process", said.get("kill-sibling"), output.toString());
        assertEquals("true", said.get("sibling-alive"));
        assertEquals("false No such process", said.get("kill-parent"));
        assertTrue(said.get("inject").startsWith("false open: java.nio.file.NoSuchFileException"), said.get("inject"));
        assertEquals("before,after", said.get("neighbour-saw"), "the neighbour took nothing injected");
        String fork = said.get("fork");
        assertTrue(fork.startsWith("false ") && fork.contains("Cannot fork"), fork);
        int started = Integer.parseInt(fork.split(" ")[1]);
        int base0 = Integer.parseInt(said.get("tasks"));
        // RLIMIT_NPROC counts this sandbox's tasks only (its own user namespace), not the user's other processes
        // (this parent's threads, the neighbour's): the shell gets close to the limit. The shell and its reaper thread
        // take two; the JVM may start a few threads meanwhile.
        int room = SandboxParent.PROCESSES - base0 - 2;
        assertTrue(started <= room && started >= room - 8, "started " + started + ", room " + room + ": " + fork);

        long jvm = Long.parseLong(said.get("jvm"));
        long sleep = Long.parseLong(said.get("sleep"));
        toKill.add(jvm);
        toKill.add(sleep);
        assertFalse(Children.gone(jvm) || Children.gone(sleep));
        parent.destroyForcibly(); // SIGKILL: the parent has no say in what follows
        Await.until(() -> Children.gone(jvm), T, "the child JVM to die with its parent");
        Await.until(() -> Children.gone(sleep), T, "the process it started to die with it");
    }

    @Test
    void whereNoUserNamespaceMayBeMadeTheSpawnFailsWithTheReason() throws Exception {
        // The parent runs in a user namespace of its own in which no further one may be made: a system that refuses.
        start(List.of("unshare", "--user", "--map-root-user", "--", "/bin/sh", "-c",
                "echo 0 > /proc/sys/user/max_user_namespaces && exec \"$@\"", "sh"),
                System.getProperty("java.class.path"), tmp);
        String refused = said.get("refused");
        assertTrue(refused.contains("cannot sandbox an out-of-process agent here"), refused);
        assertTrue(refused.contains("ProcessLimits.withoutSandbox()"), "says what to do: " + refused);
        assertEquals("true", said.get("unsandboxed"), "the explicit opt-out runs there");
    }

    /** Starts {@link SandboxParent} under {@code prefix} and waits until it says it is ready. */
    private Process start(List<String> prefix, String classpath, Path base) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ChildLauncher.inheritedFlags());
        cmd.addAll(List.of("-cp", classpath, SandboxParent.class.getName(), base.toString()));
        Process p = new ProcessBuilder(cmd).directory(base.toFile()).redirectErrorStream(true).start();
        toKill.add(p.pid());
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.append(line).append('\n');
                    int space = line.indexOf(' ');
                    said.put(space < 0 ? line : line.substring(0, space), space < 0 ? "" : line.substring(space + 1));
                }
            } catch (IOException e) {
                output.append(e);
            }
        });
        Await.until(() -> said.containsKey("ready") || !p.isAlive(), T, "the parent to be ready");
        assertTrue(said.containsKey("ready"), "the parent ended early: " + output);
        return p;
    }

    /**
     * The classpath copied where any user may read it: the jars (under root's home, closed to others) and the build's
     * class directories (a clone in a directory closed to others, such as one made by mktemp, hides them too).
     */
    private String readableClasspath() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("classpath"));
        List<String> out = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                Path copy = Files.copy(p, dir.resolve((n++) + "-" + p.getFileName()),
                        StandardCopyOption.COPY_ATTRIBUTES);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                out.add(copy.toString());
            } else if (Files.isDirectory(p)) {
                Path copy = dir.resolve((n++) + "-" + p.getFileName());
                try (var tree = Files.walk(p)) {
                    for (Path from : (Iterable<Path>) tree::iterator) {
                        Path to = copy.resolve(p.relativize(from).toString());
                        Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
                        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString(
                                Files.isDirectory(to) ? "rwxr-xr-x" : "rw-r--r--"));
                    }
                }
                out.add(copy.toString());
            } else {
                out.add(entry); // not there: the JVM ignores it as this one did
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return String.join(File.pathSeparator, out);
    }
}
