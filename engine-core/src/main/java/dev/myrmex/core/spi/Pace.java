package dev.myrmex.core.spi;

/** How far a sender may be slowed down by a busy mailbox: decided by who sends. */
public enum Pace {
    /**
     * May wait for room under the BLOCK policy, is not held back at the high watermark: an agent sending to itself
     * (it would wait for itself).
     */
    WAIT_FOR_ROOM,
    /**
     * May wait for room and is held back at the high watermark until the receiver drains: agent senders on threads of
     * their own, and outside threads.
     */
    HOLD_BACK,
    /**
     * Never waits: a non-blocking handler on a carrier thread. Its sends go through {@link Endpoint#offerNow}: what a
     * full mailbox does not take is kept by the sender, which is muted until the recipient drains.
     */
    NEVER_WAIT
}
