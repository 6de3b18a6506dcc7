package dev.myrmex.core;

/**
 * What a handler-style agent does with one message (see {@link Behaviors}). It is called once per message, in the
 * mailbox's order, never by two threads at once; the agent's state lives in the handler's own fields or captured
 * variables, and each call sees what the previous one wrote.
 *
 * <pre>{@code
 * long[] total = {0};
 * rt.spawn("totaliser", Behaviors.nonBlocking((ctx, m) -> total[0] += m.payload().amount()));
 * }</pre>
 *
 * @param <M> the messages the agent takes
 */
@FunctionalInterface
public interface MessageHandler<M extends Sendable> {
    /**
     * Handles {@code message}. Returning takes the next one; throwing fails the agent (its remaining mail becomes
     * dead letters); {@link AgentContext#stopSelf()} stops it after this message.
     */
    void handle(AgentContext<M> ctx, Message<M> message) throws Exception;
}
