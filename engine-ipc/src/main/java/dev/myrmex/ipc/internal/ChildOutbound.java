package dev.myrmex.ipc.internal;

import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * The child's way to the parent: writes into the ring to the parent, from any thread of the child (the ring orders
 * them). A full ring holds the sender back for the send timeout, then fails the send.
 */
final class ChildOutbound implements Outbound {
    private final Channel channel;
    private final long sendTimeoutNanos;
    private ChildSide side; // set once, before any send

    ChildOutbound(Channel channel, long sendTimeoutMillis) {
        this.channel = channel;
        this.sendTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(sendTimeoutMillis);
    }

    void bind(ChildSide s) {
        this.side = s;
    }

    @Override
    public boolean send(Message<? extends Sendable> message, long target, boolean mayWait)
            throws InterruptedException {
        RingBuffer ring = channel.toParent();
        AddressBook book = side.book();
        long sender = message.sender() == null ? Addresses.NONE : book.addressOf(message.sender());
        RingSender.write(ring, message, sender, target, side.codec(), book, mayWait, sendTimeoutNanos, () -> false,
                "the parent");
        channel.counter(Counter.CHILD_SENT).incrementRelease();
        return true;
    }

    @Override
    public boolean bounce(long target, DeadLetter.Reason reason, String causeText) {
        return Frames.writeBounced(channel.toParent(), target, reason, causeText);
    }
}
