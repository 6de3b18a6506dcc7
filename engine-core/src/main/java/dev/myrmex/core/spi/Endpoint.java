package dev.myrmex.core.spi;

import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import java.util.function.BooleanSupplier;

/**
 * Where an {@link dev.myrmex.core.AgentRef} delivers: an agent's mailbox, a pending {@code ask}, or an
 * out-of-process agent. The SPI that lets one reference type stand for all of them: a module that carries messages
 * elsewhere (engine-ipc) implements it and makes addresses for it with {@link Hosting#replyAddress}.
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

    /** What {@link #offerNow} did with a message from a sender that must never wait. */
    enum Offer {
        /** Enqueued. */
        ACCEPTED,
        /** Enqueued, and the recipient is at or above its high watermark: the sender should be muted. */
        PRESSURED,
        /** Not enqueued: the recipient is full (BLOCK). The sender keeps the message and should be muted. */
        FULL,
        /** Not enqueued: it became a dead letter (the recipient stopped, or was full under DROP). */
        DEAD
    }

    /**
     * Delivers {@code message} for a sender that must never wait (a non-blocking handler on a carrier). By default,
     * {@link #deliver} with {@link Pace#NEVER_WAIT}: only a mailbox can be full or pressured.
     */
    default Offer offerNow(Message<M> message) throws InterruptedException {
        return deliver(message, Pace.NEVER_WAIT) ? Offer.ACCEPTED : Offer.DEAD;
    }

    /**
     * Mutes {@code sender} until this endpoint has drained after a FULL or PRESSURED offer: it is told exactly once
     * ({@link MutedSender#unmuted}). Returns false if this endpoint never mutes (then nothing is told).
     */
    default boolean mute(Endpoint.MutedSender sender) {
        return false;
    }

    /** A sender muted by an endpoint: told once when that endpoint has drained (or closed). */
    interface MutedSender {
        /** The endpoint has drained or closed: send again. Called on the draining thread: must not block. */
        void unmuted();
    }

    /** How long a sender stays muted here, or keeps a send for here, at most: the mailbox's block timeout. */
    default long muteTimeoutNanos() {
        return 0;
    }

    /**
     * A message sent with this endpoint's address as its sender became a dead letter for {@code reason}, with
     * {@code cause} (null if none): told by {@link dev.myrmex.core.DeadLetters#publish}, on the publishing thread, so
     * it must be short and must not block. Most endpoints ignore it; an {@code ask}'s reply address fails the ask at
     * once, since no reply will come; the address of an agent in another process passes it on to that process.
     */
    default void bounced(DeadLetter.Reason reason, Throwable cause) {
    }
}
