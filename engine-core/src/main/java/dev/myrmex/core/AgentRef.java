package dev.myrmex.core;

/**
 * The address of an agent that takes messages of type {@code M}. It is a {@link Tag}: it can be sent in messages and
 * compared (by identity), and it reveals nothing of the agent's state. The type bound is the compile-time half of
 * the capability rules: {@code AgentRef<String>} does not compile, because {@code String} is not {@link Sendable}.
 *
 * <p>References are made by the runtime only.
 *
 * @param <M> the messages the agent takes
 */
public final class AgentRef<M extends Sendable> implements Tag {
    private final long id;
    private final String name;

    AgentRef(long id, String name) {
        this.id = id;
        this.name = name;
    }

    /** The runtime-unique number of the agent. */
    public long id() {
        return id;
    }

    /** The agent's name, unique within its runtime. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "AgentRef[" + name + "#" + id + "]";
    }
}
