package dev.myrmex.core.internal;

import dev.myrmex.core.AskFailedException;
import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.DeadLetters;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.Tag;
import dev.myrmex.core.spi.Endpoint;
import dev.myrmex.core.spi.Pace;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The reply address of one {@code ask}: the first reply completes the future; a reply after completion (the ask
 * timed out or failed, or a second reply) is a dead letter ({@link DeadLetter.Reason#LATE_REPLY}). A reply that is
 * not of the type the ask waits for fails it and is a dead letter too ({@link DeadLetter.Reason#WRONG_REPLY}). If
 * the request itself becomes a dead letter ({@link #bounced}), no reply will come, and the ask fails at once with an
 * {@link AskFailedException} saying why. It is also the ask's timeout task on the runtime's {@link TimeoutWheel}
 * (one object for both, as an ask is allocated per call): {@link #run} fails the ask with a {@link TimeoutException},
 * {@link #abandoned} (the runtime stopped first) with {@link AskFailedException.Reason#RUNTIME_STOPPED}. Thread-safe:
 * completion is decided by the future's own atomic transition, so a reply racing a bounce or the timeout settles it
 * once.
 *
 * @param <R> the reply payload type
 */
public final class PromiseEndpoint<R extends Sendable> implements Endpoint<R>, TimeoutWheel.Abandonable {
    private final String askedAgent;
    private final Duration timeout;
    private final CompletableFuture<R> future;
    private final DeadLetters deadLetters;
    private final Class<?> replyType;
    private Tag self; // set once, before the ask is sent

    /**
     * @param askedAgent  the name of the agent asked, for the failures
     * @param timeout     the ask's timeout, for its message
     * @param replyPoller null, or what a thread blocked on the future may call to fetch the reply itself (the asked
     *                    endpoint's {@link Endpoint#replyPoller})
     * @param replyType   the class a reply must be an instance of, or null when any reply will do
     */
    public PromiseEndpoint(String askedAgent, Duration timeout, DeadLetters deadLetters, BooleanSupplier replyPoller,
                           Class<?> replyType) {
        this.askedAgent = askedAgent;
        this.replyType = replyType;
        this.timeout = timeout;
        this.deadLetters = deadLetters;
        this.future = replyPoller == null ? new CompletableFuture<>() : new AskFuture<>(replyPoller);
    }

    public void bind(Tag ref) {
        this.self = ref;
    }

    public CompletableFuture<R> future() {
        return future;
    }

    /** Fails the ask with {@code reason}, unless it is settled already; {@code cause} may be null. */
    public void fail(AskFailedException.Reason reason, String detail, Throwable cause) {
        if (!future.isDone()) {
            future.completeExceptionally(new AskFailedException(askedAgent, reason, detail, cause));
        }
    }

    @Override
    public boolean deliver(Message<R> message, Pace pace) {
        if (replyType != null && !replyType.isInstance(message.payload())) {
            fail(AskFailedException.Reason.WRONG_REPLY, "the reply was a " + message.payload().getClass().getName()
                    + ", not the " + replyType.getName() + " the ask waits for", null);
            deadLetters.publish(new DeadLetter(message, self, DeadLetter.Reason.WRONG_REPLY));
            return false;
        }
        if (future.complete(message.payload())) {
            return true;
        }
        deadLetters.publish(new DeadLetter(message, self, DeadLetter.Reason.LATE_REPLY));
        return false;
    }

    /** The ask's timeout: no reply came in time. On the timer's thread. */
    @Override
    public void run() {
        future.completeExceptionally(new TimeoutException("no reply from " + askedAgent + " within " + timeout));
    }

    /** The runtime stopped while the ask was pending: no reply can come any more. */
    @Override
    public void abandoned() {
        fail(AskFailedException.Reason.RUNTIME_STOPPED, "the runtime stopped before a reply came", null);
    }

    /** The request became a dead letter: it will not be answered. */
    @Override
    public void bounced(DeadLetter.Reason reason, Throwable cause) {
        fail(AskFailedException.Reason.of(reason), switch (reason) {
            case RECIPIENT_STOPPED -> cause == null ? "it had stopped, or stopped before it took the request"
                    : "it failed and ended before it took the request";
            case AGENT_FAILED -> "it failed while processing the request";
            case MAILBOX_FULL -> "its mailbox was full and the request was dropped";
            case RECIPIENT_DIED -> "its process died before it took the request";
            case NO_RECIPIENT -> "the address names no agent any more";
            case LATE_REPLY -> "the request was a reply to an ask that had already ended";
            case WRONG_REPLY -> "the request was a reply of the wrong type to an ask";
        }, cause);
    }
}
