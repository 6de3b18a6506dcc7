package dev.myrmex.ipc;

import java.io.Serial;

/**
 * Bytes read from a channel that are not a frame this version wrote: a wrong length, kind, class or value. The
 * reader skips the frame and counts it; nothing torn or malformed is ever delivered to an agent.
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
