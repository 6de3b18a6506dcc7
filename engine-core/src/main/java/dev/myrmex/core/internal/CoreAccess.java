package dev.myrmex.core.internal;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.spi.Hosting;
import java.time.Duration;
import java.util.function.Function;

/**
 * What the runtime's own packages outside {@code dev.myrmex.core} (the coordination primitives, tasks) may do that
 * users may not: all of {@link Hosting}, and schedule on the runtime's timeout wheel, journal events, keep one table
 * per runtime, take fencing tokens. Other modules use only {@link Hosting}. The runtime installs the one {@link Bridge}
 * when its class initialises (the JDK's "shared secrets" pattern), so these stay out of the public API.
 */
public final class CoreAccess {
    /** Implemented by the runtime; what other modules may do too is {@link Hosting}, which it extends. */
    public interface Bridge extends Hosting {
        /** Runs {@code task} on the runtime's timeout wheel once {@code delay} has passed on the runtime's clock. */
        TimeoutWheel.Timeout schedule(AgentRuntime runtime, Runnable task, Duration delay);

        /** The runtime's journal events. */
        RuntimeEvents events(AgentRuntime runtime);

        /**
         * The runtime's one instance of {@code kind}, made by {@code make} at the first call (from whichever thread):
         * every call for the same runtime and kind returns the same object. {@code make} must not call this itself.
         */
        <T> T shared(AgentRuntime runtime, Class<T> kind, Function<AgentRuntime, T> make);

        /** {@code consumer}'s stream of the runtime's chance (see {@link RandomStreams}). */
        java.util.random.RandomGenerator random(AgentRuntime runtime, RandomStreams.Consumer consumer);

        /** The runtime's lease fencing tokens, continued from its journal. */
        FencingTokens fencingTokens(AgentRuntime runtime);

        /**
         * Refuses {@code what} unless the runtime is running.
         *
         * @throws IllegalStateException naming what was asked and whether the runtime is not started or stopped
         */
        void ensureRunning(AgentRuntime runtime, String what);

        /** Whether the runtime has begun to stop (it never runs again then). */
        boolean isStopped(AgentRuntime runtime);
    }

    private static volatile Bridge bridge;

    private CoreAccess() {
    }

    /** Called once, by the runtime's static initialiser. */
    public static void install(Bridge b) {
        if (bridge != null) {
            throw new IllegalStateException("the core bridge is installed already");
        }
        Hosting.install(b);
        bridge = b;
    }

    /** The bridge; the runtime's class initialiser installs it, and {@link Hosting#get} initialises that class. */
    public static Bridge get() {
        Bridge b = bridge;
        return b != null ? b : (Bridge) Hosting.get();
    }
}
