package dev.myrmex.ipc.internal;

import dev.myrmex.core.AgentContext;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.spi.Hosting;
import dev.myrmex.ipc.MessageCodec;

/** The child's half of a channel: its address book, its way to the parent, and the hosted agent's own address. */
final class ChildSide {
    private final AgentRuntime runtime;
    private final Channel channel;
    private final MessageCodec codec;
    private final AddressBook book;
    private final AgentRef<Sendable> self;
    private volatile RingContext<?> context; // the hosted behavior's, once it runs

    ChildSide(AgentRuntime runtime, Channel channel, MessageCodec codec, String agentName, long sendTimeoutMillis) {
        this.runtime = runtime;
        this.channel = channel;
        this.codec = codec;
        ChildOutbound outbound = new ChildOutbound(channel, sendTimeoutMillis);
        this.book = new AddressBook(runtime, Addresses.Side.CHILD, agentName, outbound);
        outbound.bind(this);
        // The hosted agent's address here sends through the parent, so that even its messages to itself queue in the
        // one ring it reads, behind everything sent before.
        this.self = Hosting.get().replyAddress(runtime, agentName, new RemoteEndpoint(book, Addresses.HOSTED));
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
        RingContext<M> c = new RingContext<>(real, (AgentRef<M>) (AgentRef<?>) self, this);
        context = c;
        return c;
    }

    /**
     * The hosted behavior failed with {@code failure}: the message it was processing (the one it took last) becomes
     * an {@link DeadLetter.Reason#AGENT_FAILED} dead letter here, as an agent's in one process does; its sender, if on
     * the parent's side, is told with a BOUNCED frame ({@link RemoteEndpoint#bounced}), so that an ask there fails at
     * once with the cause. Called once the behavior's thread has ended.
     */
    void behaviorFailed(Throwable failure) {
        RingContext<?> c = context;
        Message<?> failedOn = c == null ? null : c.current();
        if (failedOn != null) {
            Hosting.get().deadLetters(runtime).publish(new DeadLetter(failedOn, self, DeadLetter.Reason.AGENT_FAILED,
                    failure));
        }
    }
}
