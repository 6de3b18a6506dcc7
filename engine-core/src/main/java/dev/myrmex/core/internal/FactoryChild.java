package dev.myrmex.core.internal;

import dev.myrmex.core.Behavior;
import dev.myrmex.core.DirectContext;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.recovery.AgentFactory;

/**
 * Stands for a recoverable agent in a supervision spec ({@code SupervisorSpec.Builder.recoverable}): its supervisor
 * has the runtime spawn it through {@code factory}, from its last checkpoint if it has one, every time it starts it.
 * It is never run itself.
 *
 * @param factory makes the agent's behaviors; registered with the runtime's builder
 * @param <M>     the messages the agent takes
 */
public record FactoryChild<M extends Sendable>(AgentFactory<M, ?> factory) implements Behavior<M> {
    @Override
    public void run(DirectContext<M> ctx) {
        throw new IllegalStateException(
                "a recoverable child is spawned by its supervisor through its factory, not run");
    }
}
