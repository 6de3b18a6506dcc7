package dev.myrmex.ipc.internal;

import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;

/** One side's way to the other: writes a message for an address there. Called from any thread. */
public interface Outbound {
    /**
     * Sends {@code message} to {@code target}, an address on the other side.
     *
     * @param mayWait whether the sender may wait (bounded) for room in the ring
     * @return true if written, false if it became a dead letter
     * @throws dev.myrmex.core.mailbox.MailboxFullException if there is no room and the sender may not wait, or none
     *                                                     came in time
     */
    boolean send(Message<? extends Sendable> message, long target, boolean mayWait) throws InterruptedException;

    /**
     * Tells {@code target}, an address on the other side, that a message it sent became a dead letter here for
     * {@code reason} ({@link Frames#writeBounced}); {@code causeText} is empty if there was no cause. Never waits: it
     * is called while a dead letter is published.
     *
     * @return false if it was not written (no room in the ring now, or no other side any more): the other side is not
     *         told, and an ask waiting there ends at its timeout
     */
    boolean bounce(long target, DeadLetter.Reason reason, String causeText);
}
