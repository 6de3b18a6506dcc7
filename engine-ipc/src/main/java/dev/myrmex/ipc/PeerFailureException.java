package dev.myrmex.ipc;

import java.io.Serial;

/**
 * What an agent in the process on the other side of a channel failed with, as text: the exception's class, message
 * and stack trace as that process printed them (its classes need not exist on this side). The cause of an
 * {@link dev.myrmex.core.AskFailedException} whose request an out-of-process agent failed on, in the child, or
 * that a parent's agent failed on when the child asked.
 *
 * <pre>{@code
 * try {
 *     reply = outOfProcess.ref().ask(new Ping(1), Pong.class, Duration.ofSeconds(5)).get();
 * } catch (ExecutionException e) {
 *     if (e.getCause() instanceof AskFailedException failed
 *             && failed.getCause() instanceof PeerFailureException peer) {
 *         log.warn("the child failed on the request: {}", peer.getMessage());
 *     }
 * }
 * }</pre>
 */
public final class PeerFailureException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** @param printed the failure as the other process printed it (its stack trace) */
    public PeerFailureException(String printed) {
        super(printed, null, false, false); // the trace that matters is in the message: this side's says nothing
    }
}
