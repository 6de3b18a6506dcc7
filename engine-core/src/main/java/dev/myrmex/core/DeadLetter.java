package dev.myrmex.core;

import dev.myrmex.core.mailbox.OverflowPolicy;

/**
 * A message that was not delivered, or whose processing failed, with why. Nothing sent vanishes: it is processed, or
 * it is a dead letter.
 *
 * @param message   the message
 * @param recipient the agent it was for
 * @param reason    why it was not delivered
 * @param cause     for {@link Reason#AGENT_FAILED}, what the agent threw while processing it; for
 *                  {@link Reason#RECIPIENT_STOPPED}, the failure the recipient ended with if it ended failing (null if
 *                  it stopped normally); otherwise null
 */
public record DeadLetter(Message<?> message, Tag recipient, Reason reason, Throwable cause) {

    /** A dead letter without a cause: the message was never processed. */
    public DeadLetter(Message<?> message, Tag recipient, Reason reason) {
        this(message, recipient, reason, null);
    }

    /** Why a message became a dead letter. */
    public enum Reason {
        /** The recipient's mailbox was full and its overflow policy is {@link OverflowPolicy#DROP}. */
        MAILBOX_FULL,
        /** The recipient had stopped, or was stopping, before the message was taken. */
        RECIPIENT_STOPPED,
        /** A reply that arrived after its {@code ask} had timed out. */
        LATE_REPLY,
        /** The recipient failed while processing it (the last message it took); {@link #cause()} says how. */
        AGENT_FAILED,
        /**
         * The recipient ran out of process, and its process died (or was killed) before it took the message; its
         * supervisor may restart it, but this message is not replayed.
         */
        RECIPIENT_DIED,
        /** The address came from another process and names nothing here (any more): no recipient to deliver to. */
        NO_RECIPIENT,
        /**
         * A reply to an {@code ask} that is not of the type its {@link Request} asks for (or that the ask named); the
         * ask fails with {@link AskFailedException.Reason#WRONG_REPLY}.
         */
        WRONG_REPLY
    }
}
