package dev.myrmex.core.internal;

import dev.myrmex.core.Behavior;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.recovery.AgentFactory;
import dev.myrmex.core.recovery.Checkpointable;

/**
 * The incarnations of one recoverable agent: the first is made from the state it was spawned (or recovered) with; each
 * restart makes a fresh behavior from the agent's last checkpoint, as a recovery after a crash would. It is the
 * {@link Checkpointable} the runtime checkpoints: it asks the running incarnation's behavior.
 *
 * <p>Threads: {@link #next} runs on the agent's own thread as an incarnation begins (through {@link SetupBehavior});
 * checkpoints are taken on the agent's thread between messages; {@link #source} is volatile, so a checkpoint always
 * asks the incarnation that runs.
 *
 * @param <M> the messages the agent takes
 * @param <S> its checkpointed state
 */
public final class Incarnations<M extends Sendable, S> implements Checkpointable<S> {
    private final String agent;
    private final String factoryName;
    private final AgentFactory<M, S> factory;
    private final Recoverables recoverables;
    private Behavior<M> first; // made at the spawn, handed out by the first next()
    private volatile Checkpointable<S> source;

    @SuppressWarnings("unchecked")
    public Incarnations(String agent, String factoryName, AgentFactory<M, S> factory, S state,
                        Recoverables recoverables) {
        this.agent = agent;
        this.factoryName = factoryName;
        this.factory = factory;
        this.recoverables = recoverables;
        this.first = make(state);
    }

    /** The behavior of the next incarnation: the first one's, then one made from the last checkpoint. */
    public Behavior<M> next() {
        Behavior<M> b = first;
        if (b != null) {
            first = null;
            return b;
        }
        return make(recoverables.lastState(agent, factoryName, factory.codec()));
    }

    @SuppressWarnings("unchecked") // Recoverables.source checks it is checkpointable; the factory's type says of what
    private Behavior<M> make(S state) {
        Behavior<M> b;
        try {
            b = java.util.Objects.requireNonNull(factory.create(agent, state), "the factory returned no behavior");
        } catch (Exception e) {
            throw new IllegalStateException("factory '" + factoryName + "' could not make agent " + agent + ": " + e,
                    e);
        }
        source = (Checkpointable<S>) Recoverables.source(b, agent, factoryName);
        return b;
    }

    @Override
    public S checkpoint() {
        return source.checkpoint();
    }
}
