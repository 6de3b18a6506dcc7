package dev.myrmex.ipc.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.constants.platform.RLIMIT;
import jnr.constants.platform.Signal;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * The few system calls process control needs and the JDK lacks, through jnr-posix: {@code kill(2)} with any signal,
 * {@code setrlimit(2)}, {@code geteuid(2)} and {@code getppid(2)}. Loaded on first use; fails with a clear error where
 * the native library cannot load.
 */
public final class Posix {
    private static final class Holder {
        static final POSIX POSIX = load();

        private static POSIX load() {
            POSIX p = POSIXFactory.getNativePOSIX();
            if (!p.isNative()) {
                throw new IllegalStateException("jnr-posix could not load its native library: out-of-process agents"
                        + " need kill(2) and setrlimit(2)");
            }
            return p;
        }
    }

    private Posix() {
    }

    /** Sends {@code signal} to process {@code pid}; false if it no longer exists. */
    public static boolean signal(long pid, Signal signal) {
        int rc = Holder.POSIX.kill(pid, signal.intValue());
        return rc == 0;
    }

    /**
     * Whether process {@code pid} is alive: it exists ({@code kill(pid, 0)}, which needs no file descriptor, so a child
     * at its open-file limit can still ask) and has not exited. A process that has exited but not been reaped yet (a
     * zombie, state Z or X in /proc) still exists for {@code kill}, yet is dead: it runs nothing and never will. Where
     * /proc cannot be read (no file descriptor left, no /proc), existence is the answer.
     */
    public static boolean alive(long pid) {
        if (Holder.POSIX.kill(pid, 0) != 0
                && Holder.POSIX.errno() != jnr.constants.platform.Errno.EPERM.intValue()) { // EPERM: exists, not ours
            return false;
        }
        char state = state(pid);
        return state != 'Z' && state != 'X';
    }

    /** The state letter of {@code pid} in /proc ('R', 'S', 'Z'...), '?' if it cannot be read. */
    public static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')'); // the command name, in parentheses, may hold anything
            return close > 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
        } catch (IOException | RuntimeException e) {
            return '?';
        }
    }

    /** This process's parent's id, {@code getppid(2)}: no file descriptor needed. */
    public static long parentPid() {
        return Holder.POSIX.getppid();
    }

    /** This process's effective user id. */
    public static int euid() {
        return Holder.POSIX.geteuid();
    }

    /** Freezes {@code pid} (SIGSTOP). */
    public static boolean stop(long pid) {
        return signal(pid, Signal.SIGSTOP);
    }

    /** Lets a frozen {@code pid} go on (SIGCONT). */
    public static boolean cont(long pid) {
        return signal(pid, Signal.SIGCONT);
    }

    /**
     * Sets this process's {@code resource} limit, soft and hard alike (an unprivileged process cannot raise a hard
     * limit again).
     *
     * @throws IllegalStateException if the call fails, with the system's reason
     */
    public static void limit(RLIMIT resource, long value) {
        limit(resource, value, value);
    }

    /** Sets soft and hard limits apart: the soft one signals (SIGXCPU for CPU time), the hard one kills. */
    public static void limit(RLIMIT resource, long soft, long hard) {
        int rc = Holder.POSIX.setrlimit(resource.intValue(), soft, hard);
        if (rc != 0) {
            int errno = Holder.POSIX.errno();
            throw new IllegalStateException("setrlimit(" + resource + ", " + soft + ", " + hard + ") failed: "
                    + Holder.POSIX.strerror(errno));
        }
    }

    /** The name of signal number {@code n} ("SIGKILL"), or "signal n". */
    public static String signalName(int n) {
        for (Signal s : Signal.values()) {
            if (s.defined() && s.intValue() == n) {
                return s.name();
            }
        }
        return "signal " + n;
    }
}
