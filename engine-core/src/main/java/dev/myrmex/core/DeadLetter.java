package dev.myrmex.core;

/**
 * A message that was not delivered, with why. Nothing sent vanishes: it is processed, or it is a dead letter.
 *
 * @param message   the message
 * @param recipient the agent it was for
 * @param reason    why it was not delivered
 */
public record DeadLetter(Message<?> message, Tag recipient, Reason reason) {

    /** Why a message became a dead letter. */
    public enum Reason {
        /** The recipient's mailbox was full and its overflow policy is {@link OverflowPolicy#DROP}. */
        MAILBOX_FULL,
        /** The recipient had stopped, or was stopping, before the message was taken. */
        RECIPIENT_STOPPED,
        /** A reply that arrived after its {@code ask} had timed out. */
        LATE_REPLY
    }
}
