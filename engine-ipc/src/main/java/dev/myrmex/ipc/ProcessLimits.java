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
 *   <li><b>no network</b>: the child runs in a network namespace of its own (via {@code unshare --net}), with no
 *       interface but a loopback that is down: no connection in or out, not even to this host. Where the system does
 *       not allow a namespace, the spawn fails rather than run the agent unisolated.</li>
 * </ul>
 * Limits bind the agent's code only if it cannot lift them: run the parent as an unprivileged user (root may raise a
 * hard limit, and may leave a namespace).
 *
 * @param heapBytes         the child's maximum heap; 0 for the JVM's default
 * @param addressSpaceBytes the child's address-space limit; 0 for none
 * @param cpuTime           the child's CPU-time limit, whole seconds (rounded up); null for none
 * @param openFiles         the child's open-file limit; 0 for none
 * @param network           false to cut the child off the network
 */
public record ProcessLimits(long heapBytes, long addressSpaceBytes, Duration cpuTime, int openFiles,
                            boolean network) {
    /** No limits beyond the JVM's defaults; network allowed. */
    public static final ProcessLimits NONE = new ProcessLimits(0, 0, null, 0, true);

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
    }

    public ProcessLimits withHeap(long bytes) {
        return new ProcessLimits(bytes, addressSpaceBytes, cpuTime, openFiles, network);
    }

    public ProcessLimits withAddressSpace(long bytes) {
        return new ProcessLimits(heapBytes, bytes, cpuTime, openFiles, network);
    }

    public ProcessLimits withCpuTime(Duration limit) {
        return new ProcessLimits(heapBytes, addressSpaceBytes, Objects.requireNonNull(limit, "limit"), openFiles,
                network);
    }

    public ProcessLimits withOpenFiles(int n) {
        return new ProcessLimits(heapBytes, addressSpaceBytes, cpuTime, n, network);
    }

    /** Cuts the child off the network (a network namespace of its own). */
    public ProcessLimits withoutNetwork() {
        return new ProcessLimits(heapBytes, addressSpaceBytes, cpuTime, openFiles, false);
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
        b.append(network ? "network" : "no network");
        return b.toString();
    }
}
