package dev.myrmex.ipc.internal;

import dev.myrmex.ipc.OutOfProcess;
import dev.myrmex.ipc.ProcessLimits;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Builds and starts the command line of a child JVM: its {@link Sandbox} (or, without one, its network isolation), the
 * JVM options (the module flags the parent runs with, the heap, the options the limits imply, the user's), the
 * parent's classpath, and {@link ChildMain} with its arguments.
 */
public final class ChildLauncher {
    /** Exit status of a child that could not set up its limits or isolation. */
    public static final int START_FAILED = 70;

    private static volatile List<String> isolation; // the command prefix that works here, probed once

    /**
     * The one thread that forks children. A parent-death signal ({@code PR_SET_PDEATHSIG}, which the sandbox sets)
     * fires when the thread that forked the process ends, not the process: forked from a carrier or pool thread that
     * retires when idle, a child would be killed with it. This thread never ends before the JVM does.
     */
    private static final ExecutorService SPAWNER = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("myrmex-spawner").unstarted(r));

    private ChildLauncher() {
    }

    /**
     * The command prefix that runs a program in a network namespace of its own: {@code unshare --net}, or with a
     * user namespace for an unprivileged user. Probed once per JVM by running {@code true} under it.
     *
     * @throws IllegalStateException if this system allows neither
     */
    public static List<String> networkIsolation() {
        List<String> known = isolation;
        if (known != null) {
            return known;
        }
        synchronized (ChildLauncher.class) {
            if (isolation != null) {
                return isolation;
            }
            String unshare = Files.isExecutable(Path.of("/usr/bin/unshare")) ? "/usr/bin/unshare" : "/bin/unshare";
            if (!Files.isExecutable(Path.of(unshare))) {
                throw new IllegalStateException("cannot cut an agent off the network: no unshare(1) on this system"
                        + " (util-linux); spawn it without withoutNetwork(), or install util-linux");
            }
            List<String> errors = new ArrayList<>();
            for (List<String> prefix : List.of(List.of(unshare, "--net"), List.of(unshare, "--net",
                    "--map-root-user"))) {
                String error = probe(prefix);
                if (error == null) {
                    isolation = prefix;
                    return prefix;
                }
                errors.add(String.join(" ", prefix) + ": " + error);
            }
            throw new IllegalStateException("cannot cut an agent off the network: this system allows no network"
                    + " namespace (" + String.join("; ", errors) + "); spawn it without withoutNetwork(), or allow"
                    + " unprivileged user namespaces");
        }
    }

    private static String probe(List<String> prefix) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add("true");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "did not finish in 10 s";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + (out.isEmpty() ? "" : " (" + out + ")");
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * Fails, with the reason and what to do, if a child under {@code limits} cannot be started here as asked: no
     * sandbox (or no network namespace) on this system, or a process limit that nothing here can enforce.
     *
     * @throws IllegalStateException naming what is missing
     */
    public static void checkSupported(ProcessLimits limits) {
        if (!limits.sandboxed()) {
            if (!limits.network()) {
                networkIsolation();
            }
            return;
        }
        String why = Sandbox.unavailable(limits.network());
        if (why != null) {
            throw new IllegalStateException("cannot sandbox an out-of-process agent here: this system refused the user,"
                    + " PID and mount namespaces it needs (" + why + "); allow unprivileged user namespaces, or run it"
                    + " uncontained with ProcessLimits.withoutSandbox()");
        }
        if (limits.processes() > 0 && PidsCgroup.unavailable() != null && Posix.euid() == 0) {
            throw new IllegalStateException("cannot limit an out-of-process agent to " + limits.processes()
                    + " processes here: root ignores RLIMIT_NPROC, and " + PidsCgroup.unavailable()
                    + "; mount the cgroup pids controller, or run the parent as an unprivileged user");
        }
    }

    /** The module and access flags this JVM was started with: the child's runtime needs the same. */
    public static List<String> inheritedFlags() {
        List<String> flags = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("--add-exports") || a.startsWith("--enable-native-access")
                    || a.startsWith("--sun-misc-unsafe-memory-access") || a.startsWith("-Dchronicle.")) {
                flags.add(a);
            }
        }
        return flags;
    }

    /** The child JVM's program: its path is how {@link ChildProcess} tells the JVM among the sandbox's processes. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The child's full command line.
     *
     * @param cgroup the pids cgroup for its sandbox, or null
     */
    static List<String> command(OutOfProcess spec, Path channel, String agentName, String behaviorSpec,
                                long blockTimeoutMillis, PidsCgroup cgroup) throws IOException {
        ProcessLimits limits = spec.limits();
        List<String> cmd = new ArrayList<>();
        if (!limits.sandboxed() && !limits.network()) {
            cmd.addAll(networkIsolation());
        }
        cmd.add(java());
        cmd.addAll(inheritedFlags());
        if (limits.sandboxed()) {
            // Its start-up would delete the /tmp/hsperfdata files of other JVMs: in a PID namespace every other pid
            // looks dead.
            cmd.add("-XX:-UsePerfData");
            // Root of its user namespace, it would take root's name and home.
            cmd.add("-Duser.name=" + System.getProperty("user.name"));
            cmd.add("-Duser.home=" + System.getProperty("user.home"));
        }
        if (limits.heapBytes() > 0) {
            cmd.add("-Xmx" + (limits.heapBytes() >> 10) + "k");
            cmd.add("-Xms" + Math.min(limits.heapBytes() >> 10, 16 << 10) + "k");
        }
        cmd.add("-XX:+ExitOnOutOfMemoryError"); // an OutOfMemoryError ends the child at once, with a clear reason
        cmd.add("-XX:+UseSerialGC"); // one small heap, one agent: no collector threads to spare
        if (limits.addressSpaceBytes() > 0) { // smaller up-front reservations, so the JVM fits under the limit
            cmd.add("-XX:ReservedCodeCacheSize=32m");
            cmd.add("-XX:CompressedClassSpaceSize=64m");
            cmd.add("-XX:MaxMetaspaceSize=96m");
            cmd.add("-Xss512k");
        }
        cmd.addAll(spec.jvmOptions());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildMain.class.getName());
        ChildArgs args = new ChildArgs(channel, agentName, behaviorSpec, spec.codec().getName(),
                spec.heartbeatTimeout().toMillis() / 5, blockTimeoutMillis, limits.cpuSeconds(),
                limits.openFiles(), limits.addressSpaceBytes(), limits.processes(), !limits.network(),
                limits.sandboxed(), spec.childWorkers());
        cmd.addAll(args.toList());
        return limits.sandboxed()
                ? Sandbox.command(channel, limits.network(), cgroup == null ? null : cgroup.procs(), cmd) : cmd;
    }

    /**
     * Starts the child of an agent, in its sandbox unless the limits opt out; its output (both streams) goes to
     * {@code log}, a 0600 file. Returns once the child JVM's process exists (or the sandbox has failed and exited).
     */
    static ChildProcess start(OutOfProcess spec, Path channel, String agentName, String behaviorSpec,
                              long blockTimeoutMillis, Path log) throws IOException {
        ProcessLimits limits = spec.limits();
        // Root ignores RLIMIT_NPROC: only a pids cgroup binds it. An unprivileged parent falls back to RLIMIT_NPROC,
        // which the kernel counts per user namespace, so per sandbox.
        PidsCgroup cgroup = limits.processes() > 0 && PidsCgroup.unavailable() == null
                ? PidsCgroup.create(limits.processes()) : null;
        try {
            if (!Files.exists(log)) {
                PrivateDirectory.createFile(log);
            }
            ProcessBuilder pb = new ProcessBuilder(command(spec, channel, agentName, behaviorSpec,
                    blockTimeoutMillis, cgroup)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            if (limits.addressSpaceBytes() > 0) {
                // glibc reserves 64 MB of address space per thread arena: a few threads would eat the limit unused
                pb.environment().put("MALLOC_ARENA_MAX", "2");
            }
            Process p = spawn(pb);
            if (cgroup != null) {
                p.onExit().thenRun(cgroup::remove); // no task is left in it once the sandbox's outer process exited
            }
            return limits.sandboxed() ? ChildProcess.inSandbox(p, java()) : ChildProcess.direct(p);
        } catch (IOException | RuntimeException e) {
            if (cgroup != null) {
                cgroup.remove();
            }
            throw e;
        }
    }

    /** Forks on {@link #SPAWNER}; waits for it without giving up on an interrupt (that would orphan the process). */
    private static Process spawn(ProcessBuilder pb) throws IOException {
        Future<Process> started = SPAWNER.submit(pb::start);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return started.get();
                } catch (InterruptedException e) {
                    interrupted = true; // a fork takes milliseconds: wait for it, and keep the interrupt for later
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IOException("cannot start the child: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
