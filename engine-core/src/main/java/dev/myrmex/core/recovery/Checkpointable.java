package dev.myrmex.core.recovery;

/**
 * An agent whose state a runtime saves in its journal, so that after a crash or a restart it comes back where it
 * was. Implemented by the behavior an {@link AgentFactory} makes, or by the handler inside a
 * {@code Behaviors.receive} / {@code Behaviors.nonBlocking} behavior.
 *
 * <p>The runtime calls {@link #checkpoint()} on the agent's own thread, between two messages (never while one is
 * being handled), when the agent starts, every checkpoint interval (60 s by default, see
 * {@code AgentRuntime.Builder.checkpointInterval}), on {@code AgentRuntime.checkpointNow}, and on a graceful stop of
 * the runtime. So the agent's fields need no locks for it; the factory's {@link dev.myrmex.core.codec.ValueCodec}
 * then encodes the value on the same thread. A direct-style agent is checkpointed when it calls {@code receive}: one
 * that stays busy elsewhere for long is checkpointed late.
 *
 * <pre>{@code
 * final class Counter implements MessageHandler<Add>, Checkpointable<Long> {
 *     private long total;
 *     Counter(Long restored) { total = restored == null ? 0 : restored; }
 *     public void handle(AgentContext<Add> ctx, Message<Add> m) { total += m.payload().n(); }
 *     public Long checkpoint() { return total; }
 * }
 * }</pre>
 *
 * @param <S> the state's type
 */
public interface Checkpointable<S> {
    /**
     * The agent's state now. Return a value the codec can encode after this method returns: an immutable value or a
     * copy (the agent carries on changing its fields).
     */
    S checkpoint();
}
