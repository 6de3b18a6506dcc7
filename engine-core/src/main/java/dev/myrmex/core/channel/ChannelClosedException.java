package dev.myrmex.core.channel;

/**
 * A {@link Channel} was closed: thrown to a sender (closed channels take nothing) and to a receiver once everything
 * sent before the close has been received.
 */
public final class ChannelClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public ChannelClosedException(String message) {
        super(message);
    }
}
