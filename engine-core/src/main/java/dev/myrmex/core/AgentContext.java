package dev.myrmex.core;

import dev.myrmex.core.metrics.HealthCheck;

/**
 * What a running agent sees of itself and the runtime, in either style. Used only by the agent's behavior: inside its
 * handler (handler style: messages come to the handler), or on its own thread, where it is a {@link DirectContext}
 * that also takes messages with {@code receive}.
 *
 * @param <M> the messages the agent takes
 */
public interface AgentContext<M extends Sendable> {
    /** This agent's address. */
    AgentRef<M> self();

    /** This agent's name. */
    String name();

    /**
     * Replies to {@code request}, the payload of the message being processed, by sending {@code reply} to its sender:
     * the reply type is the one the {@link Request} asks for, checked by the compiler. Called from this agent's
     * handler or loop while it processes that message (in direct style: the message taken last); to reply later or
     * from another thread, keep {@link Message#replyTo(Request) the message's reply address}.
     *
     * <pre>{@code
     * case GetBalance g -> ctx.reply(g, new Balance(balance));
     * }</pre>
     *
     * @param <R> the reply the request asks for
     * @throws IllegalStateException if {@code request} is not the payload of the message being processed, the call is
     *                               not from this agent's handler or loop, or the message has no sender
     */
    <R extends Sendable> void reply(Request<?, R> request, R reply);

    /**
     * Replies to {@code request} (an {@code ask}, or any message from an agent) by sending {@code reply} to its
     * sender, whatever its type: for protocols whose requests are not {@link Request} types. An ask that named its
     * reply type fails if {@code reply} is not of it ({@link AskFailedException.Reason#WRONG_REPLY}).
     *
     * @throws IllegalStateException if the request has no sender to reply to
     */
    void reply(Message<?> request, Sendable reply);

    /**
     * Stops this agent gracefully after the current message: a direct-style behavior's next {@code receive()} throws
     * {@link AgentStoppingException}; a handler is not called again. Messages still queued become dead letters. Does
     * nothing if the agent is already stopping.
     */
    void stopSelf();

    /**
     * Tells the health monitor this agent is making progress, during work that takes longer than its liveness timeout
     * between messages (see {@link HealthCheck}). Cheap: a counter increment.
     */
    void heartbeat();

    /** Sets the result that {@link AgentHandle#join()} returns once the behavior ends normally. */
    void result(Object value);

    /** The runtime this agent runs in. */
    AgentRuntime runtime();
}
