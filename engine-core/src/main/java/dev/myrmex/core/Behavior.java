package dev.myrmex.core;

/**
 * What an agent does: ordinary blocking code on the agent's own virtual thread. It takes messages with
 * {@link DirectContext#receive()}; when it returns, the agent has stopped (with the result set by
 * {@link AgentContext#result}, if any); when it throws, the agent has failed.
 *
 * <pre>{@code
 * Behavior<Quote> analyzer = ctx -> {
 *     while (true) {
 *         Message<Quote> m = ctx.receive();   // parks only this agent
 *         analyze(m.payload());
 *     }
 * };
 * }</pre>
 *
 * @param <M> the messages the agent takes
 */
@FunctionalInterface
public interface Behavior<M extends Sendable> {
    void run(DirectContext<M> ctx) throws Exception;
}
