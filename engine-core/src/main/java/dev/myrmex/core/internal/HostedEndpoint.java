package dev.myrmex.core.internal;

import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.host.HostedAgent;
import dev.myrmex.core.spi.Endpoint;
import dev.myrmex.core.spi.Pace;
import java.util.function.BooleanSupplier;

/**
 * The address of an agent placed by an {@link dev.myrmex.core.host.AgentHost}: messages go to the host, not to the
 * in-process cell (whose behavior only watches the remote one). Any thread; the host orders deliveries.
 *
 * @param <M> the payload type
 */
public final class HostedEndpoint<M extends Sendable> implements Endpoint<M> {
    private final HostedAgent<M> hosted;

    public HostedEndpoint(HostedAgent<M> hosted) {
        this.hosted = hosted;
    }

    /** The hosted agent it delivers to. */
    public HostedAgent<M> hosted() {
        return hosted;
    }

    @Override
    public boolean deliver(Message<M> message, Pace pace) throws InterruptedException {
        return hosted.deliver(message, pace != Pace.NEVER_WAIT);
    }

    @Override
    public BooleanSupplier replyPoller() {
        return hosted::pollReplies; // replies come back on a ring the waiting thread may read
    }
}
