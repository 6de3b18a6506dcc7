package dev.myrmex.ipc;

import java.io.Serial;

/**
 * Bytes read from a channel that are not a frame this version wrote: a record length that does not fit the ring, a
 * wrong kind, class, value or length inside a frame. Nothing torn or malformed is ever delivered to an agent. A child's
 * channel in which the parent finds one is corrupt: the parent reads no more of it, kills the child and fails the
 * agent with a {@link ChildProcessException} (reason {@code CORRUPT_CHANNEL}) whose cause this is.
 */
public final class FrameDecodeException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    public FrameDecodeException(String message) {
        super(message);
    }

    public FrameDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
