package dev.myrmex.ipc.internal;

import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;

/** One side's way to the other: writes a message for an address there. Called from any thread. */
public interface Outbound {
    /**
     * Sends {@code message} to {@code target}, an address on the other side.
     *
     * @param mayWait whether the sender may wait (bounded) for room in the ring
     * @return true if written, false if it became a dead letter
     * @throws dev.myrmex.core.MailboxFullException if there is no room and the sender may not wait, or none came in
     *                                             time
     */
    boolean send(Message<? extends Sendable> message, long target, boolean mayWait) throws InterruptedException;
}
