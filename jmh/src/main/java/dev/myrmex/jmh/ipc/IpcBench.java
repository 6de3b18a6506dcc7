package dev.myrmex.jmh.ipc;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.ipc.OutOfProcess;
import dev.myrmex.ipc.internal.ChildLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/** Set-up shared by the IPC benchmarks: a Myrmex out-of-process echo, or a bare ring child. */
final class IpcBench {
    private IpcBench() {
    }

    /** A runtime with one out-of-process {@link IpcMessages.Echo}, answering already. */
    static AgentHandle<Sendable> spawnEcho(AgentRuntime rt, String name) throws Exception {
        AgentHandle<Sendable> echo = rt.spawn(name, new IpcMessages.Echo(),
                SpawnOptions.DEFAULTS.outOfProcess(OutOfProcess.builder().build()));
        echo.ref().ask(new IpcMessages.Ping(0, 0, 0, 0), IpcMessages.Ping.class, Duration.ofSeconds(60))
                .get(60, TimeUnit.SECONDS);
        return echo;
    }

    /** What a benchmark talks to: an out-of-process echo in a runtime of its own, or a bare-ring child. */
    static final class Target implements AutoCloseable {
        final AgentRuntime rt;
        final AgentHandle<Sendable> agent;
        final Bare bare;
        /** A buffer of {@link IpcMessages#frameLength()} bytes, for the bare ring. */
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[IpcMessages.frameLength()]);

        private Target(AgentRuntime rt, AgentHandle<Sendable> agent, Bare bare) {
            this.rt = rt;
            this.agent = agent;
            this.bare = bare;
        }

        /** An out-of-process {@link IpcMessages.Echo} named {@code name}, answering already. */
        static Target myrmex(String name) throws Exception {
            AgentRuntime rt = AgentRuntime.builder().workers(1).build();
            rt.start();
            return new Target(rt, spawnEcho(rt, name), null);
        }

        /** A bare-ring child in {@code mode} ("echo" or "sink"). */
        static Target bare(String mode) throws Exception {
            return new Target(null, null, new Bare(mode));
        }

        @Override
        public void close() throws IOException {
            if (rt != null) {
                rt.close();
            }
            if (bare != null) {
                bare.close();
            }
        }
    }

    /** A bare-ring child on a fresh file; returns its rings (to child, to parent) and sets {@code process}. */
    static final class Bare implements AutoCloseable {
        final Process process;
        final RingBuffer toChild;
        final RingBuffer toParent;
        private final Path file;

        Bare(String mode) throws Exception {
            file = Files.createTempFile(Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm"
                    : System.getProperty("java.io.tmpdir")), "bare-ring", ".map");
            RingBuffer[] rings = BareRingEcho.map(file, true);
            toChild = rings[0];
            toParent = rings[1];
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(ChildLauncher.inheritedFlags()); // Agrona needs the same module exports as a Myrmex child
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BareRingEcho.class.getName(),
                    file.toString(), mode));
            process = new ProcessBuilder(cmd).inheritIO().start();
        }

        @Override
        public void close() throws IOException {
            try {
                process.destroyForcibly().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the child is killed; the file goes all the same
            }
            Files.deleteIfExists(file);
        }
    }
}
