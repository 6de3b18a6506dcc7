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
import java.util.concurrent.TimeUnit;

/**
 * Builds and starts the command line of a child JVM: its network isolation, the JVM options (the module flags the
 * parent runs with, the heap, the options the limits imply, the user's), the parent's classpath, and
 * {@link ChildMain} with its arguments.
 */
public final class ChildLauncher {
    /** Exit status of a child that could not set up its limits or isolation. */
    public static final int START_FAILED = 70;

    private static volatile List<String> isolation; // the command prefix that works here, probed once

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

    /** The child's full command line. */
    static List<String> command(OutOfProcess spec, Path channel, String agentName, String behaviourSpec,
                                long blockTimeoutMillis) {
        ProcessLimits limits = spec.limits();
        List<String> cmd = new ArrayList<>();
        if (!limits.network()) {
            cmd.addAll(networkIsolation());
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(inheritedFlags());
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
        ChildArgs args = new ChildArgs(channel, agentName, behaviourSpec, spec.codec().getName(),
                spec.heartbeatTimeout().toMillis() / 5, blockTimeoutMillis, limits.cpuSeconds(),
                limits.openFiles(), limits.addressSpaceBytes(), !limits.network(), spec.childWorkers());
        cmd.addAll(args.toList());
        return cmd;
    }

    /** Starts the child; its output (both streams) goes to {@code log}, a 0600 file. */
    static Process start(List<String> command, Path log, boolean limitedAddressSpace) throws IOException {
        if (!Files.exists(log)) {
            PrivateDirectory.createFile(log);
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (limitedAddressSpace) {
            // glibc reserves 64 MB of address space per thread arena: a few threads would eat the limit unused
            pb.environment().put("MALLOC_ARENA_MAX", "2");
        }
        return pb.start();
    }
}
