package dev.myrmex.ipc;

import java.io.Serial;

/**
 * Why an out-of-process agent's child process ended other than by a normal stop: the failure its agent ends with (or
 * is restarted for), in its state, its events and {@code join()}.
 */
public final class ChildProcessException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** What ended the child. */
    public enum Reason {
        /** The agent's behavior threw, in the child. */
        BEHAVIOR_FAILED,
        /** The child used up its heap or address space. */
        MEMORY_LIMIT,
        /** The child's behavior hit its open-file limit ("Too many open files") and failed. */
        OPEN_FILES_LIMIT,
        /** The child could not create a thread its JVM needed: its sandbox's process limit was reached. */
        PROCESS_LIMIT,
        /** The child used up its CPU time (SIGXCPU). */
        CPU_LIMIT,
        /** The child stopped beating: hung, or frozen by someone else; it was killed. */
        NO_HEARTBEAT,
        /** A signal killed the child (SIGKILL from outside, say). */
        KILLED,
        /** The child exited with a non-zero status for another reason. */
        EXITED,
        /** The child could not start: a limit or the isolation asked for could not be set up. */
        START_FAILED,
        /**
         * The child wrote to its channel what is not a frame (a forged record length, bytes that do not decode, a
         * record claimed and never committed while it ran), or left the ring to it unreadable: it was killed, and the
         * cause is the {@link FrameDecodeException} that says what was found where.
         */
        CORRUPT_CHANNEL
    }

    private final Reason reason;
    private final int exitStatus;

    public ChildProcessException(Reason reason, int exitStatus, String message) {
        this(reason, exitStatus, message, null);
    }

    /** With the {@code cause} that was found (for {@link Reason#CORRUPT_CHANNEL}, the frame decode error). */
    public ChildProcessException(Reason reason, int exitStatus, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.exitStatus = exitStatus;
    }

    public Reason reason() {
        return reason;
    }

    /** The child's exit status as the JDK reports it (128 + n when signal n ended it), or -1 if unknown. */
    public int exitStatus() {
        return exitStatus;
    }
}
