package dev.myrmex.core.internal;

/** How far a sender may be slowed down by a busy mailbox: decided by who sends. */
public enum Pace {
    /**
     * May wait for room under the BLOCK policy, is not held back at the high watermark: senders that are not agents,
     * and an agent sending to itself (it would wait for itself).
     */
    WAIT_FOR_ROOM,
    /** May wait for room and is held back at the high watermark until the receiver drains: agent senders. */
    HOLD_BACK,
    /**
     * Never waits: a non-blocking handler on a carrier thread. A full mailbox with the BLOCK policy fails the send
     * with a {@link dev.myrmex.core.MailboxFullException} instead of parking the carrier.
     */
    NEVER_WAIT
}
