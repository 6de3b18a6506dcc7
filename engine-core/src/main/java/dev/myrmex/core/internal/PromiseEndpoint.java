package dev.myrmex.core.internal;

import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.DeadLetters;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.Tag;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The reply address of one {@code ask}: the first reply completes the future; a reply after completion (the ask
 * timed out, or a second reply) is a dead letter ({@link DeadLetter.Reason#LATE_REPLY}). Thread-safe: completion is
 * decided by the future's own atomic transition.
 *
 * @param <R> the reply payload type
 */
public final class PromiseEndpoint<R extends Sendable> implements Endpoint<R> {
    private final CompletableFuture<R> future;
    private final DeadLetters deadLetters;
    private Tag self; // set once, before the ask is sent

    /**
     * @param replyPoller null, or what a thread blocked on the future may call to fetch the reply itself (the asked
     *                    endpoint's {@link Endpoint#replyPoller})
     */
    public PromiseEndpoint(DeadLetters deadLetters, BooleanSupplier replyPoller) {
        this.deadLetters = deadLetters;
        this.future = replyPoller == null ? new CompletableFuture<>() : new AskFuture<>(replyPoller);
    }

    public void bind(Tag ref) {
        this.self = ref;
    }

    public CompletableFuture<R> future() {
        return future;
    }

    @Override
    public boolean deliver(Message<R> message, Pace pace) {
        if (future.complete(message.payload())) {
            return true;
        }
        deadLetters.publish(new DeadLetter(message, self, DeadLetter.Reason.LATE_REPLY));
        return false;
    }
}
