package dev.myrmex.ipc.internal;

import dev.myrmex.core.AgentContext;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.internal.CoreAccess;
import dev.myrmex.ipc.MessageCodec;

/** The child's half of a channel: its address book, its way to the parent, and the hosted agent's own address. */
final class ChildSide {
    private final AgentRuntime runtime;
    private final Channel channel;
    private final MessageCodec codec;
    private final AddressBook book;
    private final AgentRef<Sendable> self;

    ChildSide(AgentRuntime runtime, Channel channel, MessageCodec codec, String agentName, long sendTimeoutMillis) {
        this.runtime = runtime;
        this.channel = channel;
        this.codec = codec;
        ChildOutbound outbound = new ChildOutbound(channel, sendTimeoutMillis);
        this.book = new AddressBook(runtime, Addresses.Side.CHILD, agentName, outbound);
        outbound.bind(this);
        // The hosted agent's address here sends through the parent, so that even its messages to itself queue in the
        // one ring it reads, behind everything sent before.
        this.self = CoreAccess.get().replyAddress(runtime, agentName, new RemoteEndpoint(book, Addresses.HOSTED));
        book.bindHosted(self);
    }

    AddressBook book() {
        return book;
    }

    MessageCodec codec() {
        return codec;
    }

    Channel channel() {
        return channel;
    }

    AgentRuntime runtime() {
        return runtime;
    }

    @SuppressWarnings("unchecked")
    <M extends Sendable> RingContext<M> context(AgentContext<M> real) {
        return new RingContext<>(real, (AgentRef<M>) (AgentRef<?>) self, this);
    }
}
