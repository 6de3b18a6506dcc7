package dev.myrmex.ipc;

import java.io.Serial;

/**
 * A message that cannot cross into another process: its type (or a component's) is not one the channel's codec can
 * encode, or it is larger than the ring's largest message. Thrown at the sender, by the send itself: the message is
 * not sent, and an {@code Iso} stays with its sender.
 */
public final class CodecException extends IllegalArgumentException {
    @Serial
    private static final long serialVersionUID = 1L;

    public CodecException(String message) {
        super(message);
    }
}
