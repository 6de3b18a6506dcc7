package dev.myrmex.core.internal;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.DeadLetters;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.Tag;
import java.time.Duration;
import java.util.function.Function;

/**
 * What the runtime's own packages outside {@code dev.myrmex.core} (the coordination primitives, engine-ipc) may do that users may
 * not: make reply addresses, send with a chosen sender, schedule on the runtime's timeout wheel, journal events, keep
 * one table per runtime, take fencing tokens. The runtime installs the one {@link Bridge} when its class initialises
 * (the JDK's "shared secrets" pattern), so these stay out of the public API.
 */
public final class CoreAccess {
    /** Implemented by the runtime. */
    public interface Bridge {
        /** A new address whose messages go to {@code endpoint}; named {@code name} in dead letters. */
        <R extends Sendable> AgentRef<R> replyAddress(AgentRuntime runtime, String name, Endpoint<R> endpoint);

        /** Sends like {@link AgentRef#signal} but with {@code sender} as the message's sender. */
        <M extends Sendable> boolean send(AgentRef<M> to, M payload, Tag sender);

        /** Runs {@code task} on the runtime's timeout wheel after {@code delay} (real time, like ask timeouts). */
        TimeoutWheel.Timeout schedule(AgentRuntime runtime, Runnable task, Duration delay);

        /** The runtime's journal events. */
        RuntimeEvents events(AgentRuntime runtime);

        /** Where {@code ref} delivers: an agent's cell, a reply endpoint, a host's endpoint. */
        Endpoint<?> endpointOf(AgentRef<?> ref);

        /** The runtime's dead letters. */
        DeadLetters deadLetters(AgentRuntime runtime);

        /**
         * The runtime's one instance of {@code kind}, made by {@code make} at the first call (from whichever thread):
         * every call for the same runtime and kind returns the same object. {@code make} must not call this itself.
         */
        <T> T shared(AgentRuntime runtime, Class<T> kind, Function<AgentRuntime, T> make);

        /** The runtime's lease fencing tokens, continued from its journal. */
        FencingTokens fencingTokens(AgentRuntime runtime);
    }

    private static volatile Bridge bridge;

    private CoreAccess() {
    }

    /** Called once, by the runtime's static initialiser. */
    public static void install(Bridge b) {
        if (bridge != null) {
            throw new IllegalStateException("the core bridge is installed already");
        }
        bridge = b;
    }

    /** The bridge; whoever asks holds a runtime, so the runtime's class is initialised and the bridge is there. */
    public static Bridge get() {
        Bridge b = bridge;
        if (b == null) {
            try {
                Class.forName(AgentRuntime.class.getName(), true, AgentRuntime.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            b = bridge;
        }
        return b;
    }
}
