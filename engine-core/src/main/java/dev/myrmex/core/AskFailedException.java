package dev.myrmex.core;

import dev.myrmex.core.mailbox.MailboxFullException;
import dev.myrmex.core.mailbox.OverflowPolicy;
import java.util.Objects;

/**
 * An {@link AgentRef#ask ask} that will never be answered, and the runtime knew it before the ask's timeout: the
 * future fails with this at once, {@link #reason()} says why, and {@link #getCause()} carries what the recipient
 * failed with (or the {@link MailboxFullException} that refused the request). A
 * {@link java.util.concurrent.TimeoutException} is left for one case only: the request was delivered and no reply came
 * in time.
 *
 * <pre>{@code
 * try {
 *     Price p = pricer.ask(new Quote("ACME"), Price.class, Duration.ofSeconds(1)).get();
 * } catch (ExecutionException e) {                         // join() wraps it in a CompletionException instead
 *     switch (e.getCause()) {
 *         case AskFailedException f when f.reason() == AskFailedException.Reason.RECIPIENT_FAILED ->
 *                 log.warn("pricer failed on the quote", f.getCause());
 *         case AskFailedException f -> log.warn("no answer will come: {}", f.getMessage());
 *         case TimeoutException t -> log.warn("no answer in time");
 *         default -> throw e;
 *     }
 * }
 * }</pre>
 *
 * It carries no stack trace of its own: it is made wherever the request ended (a dead-letter drain, a failing agent's
 * thread, the runtime's stop), which says nothing to the asker; the cause keeps the recipient's trace, and
 * {@code get()} wraps it in an exception with the asker's.
 */
public final class AskFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why an ask fails before its timeout. */
    public enum Reason {
        /**
         * The recipient had stopped, or stopped before it took the request (the request was a dead letter,
         * {@link DeadLetter.Reason#RECIPIENT_STOPPED}); if it ended by failing, the cause is that failure.
         */
        RECIPIENT_STOPPED,
        /**
         * The recipient failed while processing the request ({@link DeadLetter.Reason#AGENT_FAILED}); the cause is
         * what it threw. A supervised recipient may be restarted, but this request is not processed again.
         */
        RECIPIENT_FAILED,
        /**
         * The recipient's mailbox was full: the request was dropped ({@link OverflowPolicy#DROP}) or refused (the
         * cause is the {@link MailboxFullException}, under FAIL or a BLOCK that stayed full).
         */
        MAILBOX_FULL,
        /**
         * Nothing can take the request: the recipient's process died before it took it
         * ({@link DeadLetter.Reason#RECIPIENT_DIED}), its address names nothing any more
         * ({@link DeadLetter.Reason#NO_RECIPIENT}), or the request was itself a reply to an ask that had ended
         * ({@link DeadLetter.Reason#LATE_REPLY}) or that waits for another type
         * ({@link DeadLetter.Reason#WRONG_REPLY}).
         */
        RECIPIENT_UNREACHABLE,
        /** The runtime stopped while the ask was pending: no reply can come any more. */
        RUNTIME_STOPPED,
        /**
         * The reply was not of the type the request asks for ({@link Request}) or the ask named; it is a dead
         * letter ({@link DeadLetter.Reason#WRONG_REPLY}).
         */
        WRONG_REPLY;

        /** The ask failure a request that became a dead letter for {@code why} means. */
        public static Reason of(DeadLetter.Reason why) {
            return switch (why) {
                case RECIPIENT_STOPPED -> RECIPIENT_STOPPED;
                case AGENT_FAILED -> RECIPIENT_FAILED;
                case MAILBOX_FULL -> MAILBOX_FULL;
                case RECIPIENT_DIED, NO_RECIPIENT, LATE_REPLY, WRONG_REPLY -> RECIPIENT_UNREACHABLE;
            };
        }
    }

    private final String recipient;
    private final Reason reason;

    /**
     * @param recipient the name of the agent that was asked
     * @param reason    why no reply will come
     * @param detail    what happened, in words, for the message
     * @param cause     what the recipient failed with, or what refused the request; null if neither
     */
    public AskFailedException(String recipient, Reason reason, String detail, Throwable cause) {
        super("ask to agent " + recipient + " failed (" + Objects.requireNonNull(reason, "reason") + "): " + detail
                + (cause == null ? "" : ": " + cause), cause, true, false);
        this.recipient = recipient;
        this.reason = reason;
    }

    /** The name of the agent that was asked. */
    public String recipient() {
        return recipient;
    }

    /** Why no reply will come. */
    public Reason reason() {
        return reason;
    }
}
