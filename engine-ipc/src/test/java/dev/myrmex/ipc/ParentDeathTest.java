package dev.myrmex.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.ipc.Agents.Echo;
import dev.myrmex.ipc.Agents.Ping;
import dev.myrmex.ipc.Agents.Pong;
import dev.myrmex.ipc.internal.ChannelFiles;
import dev.myrmex.ipc.internal.Posix;
import dev.myrmex.ipc.internal.PrivateDirectory;
import dev.myrmex.testkit.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a killed parent leaves behind (issue 19, item 4): its child, and its files. */
class ParentDeathTest extends RuntimeWithChannels {
    private static final Duration T = Duration.ofSeconds(90);

    /** The child's pid once the parent process writing {@code out} is ready. */
    private static long awaitReady(Path out) throws IOException {
        String[] line = new String[1];
        Await.until(() -> {
            try {
                line[0] = Files.exists(out) ? Files.readAllLines(out).stream().filter(l -> l.startsWith("ready "))
                        .findFirst().orElse(null) : null;
                return line[0] != null;
            } catch (IOException e) {
                return false;
            }
        }, T, "the parent process to be ready (its output: " + out + ")");
        return Long.parseLong(line[0].substring("ready ".length()).strip());
    }

    private static boolean exited(long pid) {
        char state = Posix.state(pid);
        return state == '?' || state == 'Z' || state == 'X';
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Test
    void aChildWhoseParentIsAZombieExits() throws Exception {
        Path out = tmp.resolve("parent.out");
        Path pidFile = tmp.resolve("parent.pid");
        String java = ParentProcess.command(tmp.resolve("zombie")).stream().map(ParentDeathTest::quote)
                .collect(Collectors.joining(" "));
        // sh starts the parent, then becomes sleep(1), which never reaps it: once killed, the parent stays a zombie
        Process holder = new ProcessBuilder("/bin/sh", "-c", java + " > " + quote(out.toString()) + " 2>&1 & echo $! > "
                + quote(pidFile.toString()) + "; exec sleep 600").start();
        long child = -1;
        try {
            child = awaitReady(out);
            long parent = Long.parseLong(Files.readString(pidFile).strip());
            assertTrue(Posix.signal(parent, jnr.constants.platform.Signal.SIGKILL));
            Await.until(() -> Posix.state(parent) == 'Z', T, "the killed parent to be a zombie");
            long c = child;
            Await.until(() -> exited(c), T, "the child of a zombie parent to exit");
            assertEquals('Z', Posix.state(parent), "its parent was a zombie all along");
        } finally {
            holder.destroyForcibly();
            if (child > 0 && !exited(child)) {
                Posix.signal(child, jnr.constants.platform.Signal.SIGKILL);
            }
        }
    }

    @Test
    void aZombieIsNotAlive() throws Exception {
        // sh starts a sleep that ends a second later, then becomes a sleep(1) that never reaps it: a zombie. Not
        // "sleep 0": that one could end, and be reaped by sh, before the exec
        Process holder = new ProcessBuilder("/bin/sh", "-c", "sleep 1 & echo $!; exec sleep 600").start();
        try {
            long zombie = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(
                    holder.getInputStream())).readLine().strip());
            Await.until(() -> Posix.state(zombie) == 'Z', T, "the process to be a zombie");
            assertFalse(Posix.alive(zombie), "a zombie exists for kill(2) but runs nothing");
            assertTrue(Posix.alive(holder.pid()));
        } finally {
            holder.destroyForcibly();
        }
    }

    private static List<Path> filesOf(Path dir, long pid) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> ChannelFiles.owner(f.getFileName().toString()) == pid).toList();
        }
    }

    @Test
    void theFilesOfAKilledParentAreSweptAtTheNextStartAndNoOneElses() throws Exception {
        Path dir = tmp.resolve("shared");
        Path out = tmp.resolve("parent.out");
        Process parent = new ProcessBuilder(ParentProcess.command(dir)).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        Process live = new ProcessBuilder("sleep", "600").start();
        try {
            long child = awaitReady(out);
            List<Path> theirs = filesOf(dir, parent.pid());
            assertEquals(2, theirs.size(), "its channel and its child's output: " + theirs);
            parent.destroyForcibly(); // SIGKILL: it deletes nothing
            assertTrue(parent.waitFor(90, TimeUnit.SECONDS));
            Await.until(() -> exited(child), T, "its child to exit once it is gone");
            assertTrue(theirs.stream().allMatch(Files::exists), "a killed parent leaves its files: " + theirs);
            Path another = PrivateDirectory.createFile(dir.resolve(ChannelFiles.baseName("other", live.pid(), 1)
                    + ".chan")); // named as a live process's channel

            AgentHandle<Sendable> next = rt.spawn("next", new Echo(), SpawnOptions.DEFAULTS.outOfProcess(
                    host().directory(dir).build())); // the next start of a runtime with this directory
            assertEquals(new Pong(1, "up"), next.ref().ask(new Ping(1, "up"), Pong.class, T).get(90, TimeUnit.SECONDS));
            assertTrue(theirs.stream().noneMatch(Files::exists), "swept: " + theirs);
            assertTrue(Files.exists(another), "the file of a live process is kept");
            assertFalse(filesOf(dir, ProcessHandle.current().pid()).isEmpty(), "and this process's own");
        } finally {
            parent.destroyForcibly();
            live.destroyForcibly();
        }
    }
}
