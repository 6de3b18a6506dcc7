package dev.myrmex.core.spi;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.DeadLetters;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.Tag;

/**
 * What a module that hosts agents elsewhere or carries their messages (engine-ipc today, engine-remote next) may do
 * with a runtime that its users may not: make addresses that deliver to an {@link Endpoint} of its own, send with a
 * chosen sender, find where a reference delivers, publish dead letters, and tell how a behavior runs.
 *
 * <p>The runtime installs the one implementation when its class initialises (the JDK's "shared secrets" pattern),
 * so none of this is on the public agent API:
 *
 * <pre>{@code
 * Hosting hosting = Hosting.get();
 * AgentRef<Reply> address = hosting.replyAddress(runtime, "worker@child", new MyEndpoint());
 * }</pre>
 *
 * Every method is thread-safe.
 */
public interface Hosting {
    /**
     * A new address whose messages go to {@code endpoint}; {@code name} names it in dead letters.
     *
     * @throws IllegalStateException if the runtime is stopping or stopped
     */
    <R extends Sendable> AgentRef<R> replyAddress(AgentRuntime runtime, String name, Endpoint<R> endpoint);

    /** Sends like {@link AgentRef#signal} but with {@code sender} as the message's sender. */
    <M extends Sendable> boolean send(AgentRef<M> to, M payload, Tag sender);

    /** Where {@code ref} delivers: an agent's cell, a reply address's endpoint, a host's endpoint. */
    Endpoint<?> endpointOf(AgentRef<?> ref);

    /** The runtime's dead letters, for messages that an endpoint cannot deliver. */
    DeadLetters deadLetters(AgentRuntime runtime);

    /** How {@code behavior} runs once spawned. */
    AgentStyle styleOf(Behavior<?> behavior);

    /**
     * The class whose code {@code behavior} runs: its handler's class for a handler-style behavior, else its own.
     * A host that recreates a behavior in another process names it by this class.
     */
    Class<?> codeOf(Behavior<?> behavior);

    /** The runtime's implementation. */
    static Hosting get() {
        return Installed.get();
    }

    /**
     * Called once, by the runtime's class initialiser.
     *
     * @throws IllegalStateException if one is installed already
     */
    static void install(Hosting hosting) {
        Installed.install(hosting);
    }
}
