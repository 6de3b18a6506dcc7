package dev.myrmex.core;

import dev.myrmex.core.internal.PromiseEndpoint;
import dev.myrmex.core.internal.TimeoutWheel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Opens asks ({@link AgentRef#ask}): each gets a one-time reply address, bound to an endpoint that the reply, a
 * bounce or the timeout settles, whichever comes first. Stateless; asks may be opened from any thread at once.
 */
final class Asks {
    private Asks() {
    }

    /** A pending ask: its one-time reply address and what settles it (a reply, a bounce, the timeout). */
    record Promise<R extends Sendable>(AgentRef<R> replyTo, PromiseEndpoint<R> endpoint) {
        CompletableFuture<R> future() {
            return endpoint.future();
        }
    }

    /**
     * Opens an ask of {@code askedAgent} in {@code rt}, settled by its timeout at the latest. A reply that is not a
     * {@code replyType} (when not null) fails it.
     *
     * @throws IllegalStateException if the runtime is not running
     */
    static <R extends Sendable> Promise<R> open(AgentRuntime rt, String askedAgent, Duration timeout,
                                                BooleanSupplier replyPoller, Class<?> replyType) {
        rt.ensureRunning("ask");
        PromiseEndpoint<R> endpoint = new PromiseEndpoint<>(askedAgent, timeout, rt.deadLetters(), replyPoller,
                replyType);
        AgentRef<R> replyTo = new AgentRef<>(rt.nextId(), "ask-" + askedAgent, endpoint, rt);
        endpoint.bind(replyTo);
        CompletableFuture<R> future = endpoint.future();
        // The timer holds the endpoint, and so the reply address, until the ask is settled: an address that crossed
        // into another process (which can only hold it weakly) stays valid for as long as the reply is awaited. The
        // endpoint is its own timeout task; if the runtime stops first, the wheel abandons it and it fails the ask:
        // no reply can come after that.
        TimeoutWheel.Timeout expiry = rt.timeouts().schedule(endpoint, timeout);
        future.whenComplete((r, t) -> expiry.cancel());
        return new Promise<>(replyTo, endpoint);
    }
}
