package dev.myrmex.ipc.internal;

import jnr.constants.platform.RLIMIT;
import jnr.constants.platform.Signal;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * The few system calls process control needs and the JDK lacks, through jnr-posix: {@code kill(2)} with any signal,
 * {@code setrlimit(2)} and {@code geteuid(2)}. Loaded on first use; fails with a clear error where the native library
 * cannot load.
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
     * Whether process {@code pid} exists: {@code kill(pid, 0)}, which needs no file descriptor (a child at its open-file
     * limit can still ask).
     */
    public static boolean alive(long pid) {
        if (Holder.POSIX.kill(pid, 0) == 0) {
            return true;
        }
        return Holder.POSIX.errno() == jnr.constants.platform.Errno.EPERM.intValue(); // exists, not ours to signal
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
