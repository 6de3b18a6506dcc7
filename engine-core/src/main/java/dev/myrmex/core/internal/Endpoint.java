package dev.myrmex.core.internal;

import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import java.util.function.BooleanSupplier;

/**
 * Where an {@link dev.myrmex.core.AgentRef} delivers: an agent's mailbox, a pending {@code ask}, or an
 * out-of-process agent. The SPI that lets one reference type stand for all of them.
 *
 * @param <M> the payload type
 */
public interface Endpoint<M extends Sendable> {
    /**
     * Delivers {@code message}; {@code pace} says how far backpressure may slow the sender down.
     *
     * @return true if delivered (enqueued), false if it became a dead letter
     */
    boolean deliver(Message<M> message, Pace pace) throws InterruptedException;

    /**
     * What a thread blocked on the reply to an {@code ask} sent here may call to fetch the reply itself (see
     * {@link dev.myrmex.core.host.HostedAgent#pollReplies}), or null: replies simply arrive.
     */
    default BooleanSupplier replyPoller() {
        return null;
    }

    /**
     * A message sent with this endpoint's address as its sender became {@code letter}, a dead letter: told by
     * {@link dev.myrmex.core.DeadLetters#publish}, on the publishing thread, so it must be short and must not block.
     * Most endpoints ignore it; an {@code ask}'s reply address fails the ask at once, since no reply will come.
     */
    default void bounced(DeadLetter letter) {
    }
}
