package dev.myrmex.core.mailbox;

/** A send found the recipient's mailbox full and its overflow policy said fail (at once, or after waiting). */
public final class MailboxFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MailboxFullException(String message) {
        super(message);
    }
}
