package dev.myrmex.core.mailbox;

/** What a send does when the recipient's mailbox is full (at capacity). */
public enum OverflowPolicy {
    /** Wait for room, at most the mailbox's block timeout, then throw {@link MailboxFullException}. */
    BLOCK,
    /** Throw {@link MailboxFullException} at once. */
    FAIL,
    /** Drop the message to the dead letters (counted, observable) and return. */
    DROP
}
