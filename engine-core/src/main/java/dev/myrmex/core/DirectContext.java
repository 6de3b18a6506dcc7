package dev.myrmex.core;

import java.time.Duration;

/**
 * The context of a direct-style agent (a {@link Behavior} running on its own virtual thread): its {@link AgentContext}
 * and the one thing only it does, taking the next message. A handler has no such call: its messages come to it.
 *
 * <pre>{@code
 * Behavior<Order> clerk = ctx -> {
 *     while (true) {
 *         Message<Order> m = ctx.receive();          // parks this agent only
 *         ctx.reply(m, new Filled(m.payload().id())); // Order and Filled are Val records
 *     }
 * };
 * }</pre>
 *
 * @param <M> the messages the agent takes
 */
public interface DirectContext<M extends Sendable> extends AgentContext<M> {
    /**
     * The next message, waiting as long as it takes (parks only this agent). While the agent is paused it waits for
     * the resume, taking nothing.
     *
     * @throws AgentStoppingException when the agent is being stopped gracefully: let it propagate
     * @throws InterruptedException   when the agent is being stopped immediately
     */
    Message<M> receive() throws InterruptedException;

    /** Like {@link #receive()}, but gives up after {@code timeout} and returns null. */
    Message<M> receive(Duration timeout) throws InterruptedException;
}
