package dev.myrmex.ipc;

import java.time.Duration;
import java.util.Objects;

/**
 * The operating-system limits of one out-of-process agent. What each really enforces:
 * <ul>
 *   <li><b>heap</b> ({@code -Xmx}): the Java heap; beyond it the child's JVM exits on its first
 *       {@link OutOfMemoryError} ({@code -XX:+ExitOnOutOfMemoryError}) and the agent fails, reason MEMORY_LIMIT.</li>
 *   <li><b>address space</b> ({@code RLIMIT_AS}): all virtual memory of the child (heap, metaspace, thread stacks,
 *       code cache, direct and native memory, mapped files); set by the child on itself before any agent code runs,
 *       soft and hard alike. It must leave room for the JVM's own reservations: the child trims them (code cache,
 *       class space) and refuses to start, with the figures, if the limit is below what it has already reserved.
 *       Native allocations beyond it fail, which the JVM reports as an {@code OutOfMemoryError}.</li>
 *   <li><b>CPU time</b> ({@code RLIMIT_CPU}): seconds of CPU used by the whole child process, the JVM's own start-up,
 *       compiler and collector threads included (about a second); at the soft limit the kernel sends SIGXCPU, which
 *       ends the JVM (reason CPU_LIMIT), and a second later the hard limit SIGKILL.</li>
 *   <li><b>open files</b> ({@code RLIMIT_NOFILE}): file descriptors, the JVM's own (its jars, the channel; a few dozen)
 *       included; opening more fails with "Too many open files".</li>
 *   <li><b>processes</b>: tasks in the child's sandbox, processes and threads alike (the kernel counts each thread),
 *       the JVM's own (about 25) included; creating one more fails ("Cannot fork", or an {@link OutOfMemoryError}
 *       "unable to create native thread", which ends the child: reason PROCESS_LIMIT). Enforced by a pids cgroup of
 *       the agent's own where the parent may create one (root, or a delegated hierarchy), else by
 *       {@code RLIMIT_NPROC}, which the kernel counts per user namespace: every sandbox has its own count. Root ignores
 *       {@code RLIMIT_NPROC}, so a root parent without a pids cgroup cannot have this limit: the spawn fails.
 *       Needs the sandbox.</li>
 *   <li><b>no network</b>: the child runs in a network namespace of its own, with no interface but a loopback that
 *       is down: no connection in or out, not even to this host. Where the system does not allow a namespace, the
 *       spawn fails rather than run the agent unisolated.</li>
 *   <li><b>the sandbox</b> (on by default, for every out-of-process agent): the child runs in user, PID and mount
 *       namespaces of its own, with no capabilities left and no way to gain any (empty bounding set,
 *       {@code no_new_privs}, no nested user namespace). It cannot signal or even see a process outside it, cannot
 *       see the channel directories (its own channel file is all that is left in them), and everything it starts
 *       dies with it, and with the parent. Where the system allows no such namespaces, the spawn fails with the
 *       reason; {@link #withoutSandbox()} is the explicit way to run there anyway, uncontained.</li>
 * </ul>
 * Limits bind the agent's code only if it cannot lift them: the sandbox leaves the child no capability, so this holds
 * under a root parent too; without the sandbox, run the parent as an unprivileged user (root may raise a hard limit).
 *
 * @param heapBytes         the child's maximum heap; 0 for the JVM's default
 * @param addressSpaceBytes the child's address-space limit; 0 for none
 * @param cpuTime           the child's CPU-time limit, whole seconds (rounded up); null for none
 * @param openFiles         the child's open-file limit; 0 for none
 * @param processes         the most tasks (processes and threads) the child's sandbox may hold; 0 for no limit
 * @param network           false to cut the child off the network
 * @param sandboxed         false to run the child without its sandbox (for systems that allow no namespaces)
 */
public record ProcessLimits(long heapBytes, long addressSpaceBytes, Duration cpuTime, int openFiles, int processes,
                            boolean network, boolean sandboxed) {
    /** No limits beyond the JVM's defaults; network allowed; in the sandbox. */
    public static final ProcessLimits NONE = new ProcessLimits(0, 0, null, 0, 0, true, true);

    public ProcessLimits {
        if (heapBytes < 0 || (heapBytes > 0 && heapBytes < (8 << 20))) {
            throw new IllegalArgumentException("heap must be 0 (default) or at least 8 MB: " + heapBytes);
        }
        if (addressSpaceBytes < 0) {
            throw new IllegalArgumentException("address-space limit must not be negative: " + addressSpaceBytes);
        }
        if (cpuTime != null && (cpuTime.isNegative() || cpuTime.isZero())) {
            throw new IllegalArgumentException("CPU-time limit must be positive: " + cpuTime);
        }
        if (openFiles < 0) {
            throw new IllegalArgumentException("open-file limit must not be negative: " + openFiles);
        }
        if (processes < 0) {
            throw new IllegalArgumentException("process limit must not be negative: " + processes);
        }
        if (processes > 0 && !sandboxed) {
            throw new IllegalArgumentException("a process limit needs the sandbox (its own user namespace and pids"
                    + " cgroup); without it RLIMIT_NPROC would count every process of the user, and root none: "
                    + processes);
        }
    }

    public ProcessLimits withHeap(long bytes) {
        return new ProcessLimits(bytes, addressSpaceBytes, cpuTime, openFiles, processes, network, sandboxed);
    }

    public ProcessLimits withAddressSpace(long bytes) {
        return new ProcessLimits(heapBytes, bytes, cpuTime, openFiles, processes, network, sandboxed);
    }

    public ProcessLimits withCpuTime(Duration limit) {
        return new ProcessLimits(heapBytes, addressSpaceBytes, Objects.requireNonNull(limit, "limit"), openFiles,
                processes, network, sandboxed);
    }

    public ProcessLimits withOpenFiles(int n) {
        return new ProcessLimits(heapBytes, addressSpaceBytes, cpuTime, n, processes, network, sandboxed);
    }

    /**
     * At most {@code n} tasks, processes and threads alike, in the child's sandbox: the JVM's own threads (about 25),
     * the sandbox's init and whatever the agent starts. See the class comment for how it is enforced.
     */
    public ProcessLimits withProcesses(int n) {
        return new ProcessLimits(heapBytes, addressSpaceBytes, cpuTime, openFiles, n, network, sandboxed);
    }

    /** Cuts the child off the network (a network namespace of its own). */
    public ProcessLimits withoutNetwork() {
        return new ProcessLimits(heapBytes, addressSpaceBytes, cpuTime, openFiles, processes, false, sandboxed);
    }

    /**
     * Runs the child without its sandbox, for systems that allow no user, PID or mount namespace: the agent's code
     * can then signal any process of the same user, open other agents' channel files, and leave processes behind.
     * Only for code you trust as much as the parent's own.
     */
    public ProcessLimits withoutSandbox() {
        return new ProcessLimits(heapBytes, addressSpaceBytes, cpuTime, openFiles, processes, network, false);
    }

    /** The CPU-time limit in whole seconds, rounded up; 0 for none. */
    public long cpuSeconds() {
        return cpuTime == null ? 0 : (cpuTime.toMillis() + 999) / 1000;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (heapBytes > 0) {
            b.append("heap ").append(heapBytes >> 20).append(" MB, ");
        }
        if (addressSpaceBytes > 0) {
            b.append("address space ").append(addressSpaceBytes >> 20).append(" MB, ");
        }
        if (cpuTime != null) {
            b.append("CPU ").append(cpuSeconds()).append(" s, ");
        }
        if (openFiles > 0) {
            b.append(openFiles).append(" open files, ");
        }
        if (processes > 0) {
            b.append(processes).append(" processes, ");
        }
        b.append(network ? "network" : "no network");
        if (!sandboxed) {
            b.append(", no sandbox");
        }
        return b.toString();
    }
}
