package dev.myrmex.core.spi;

import dev.myrmex.core.AgentRuntime;

/** Holds the runtime's {@link Hosting}: written once by the runtime's class initialiser, read by anyone after. */
final class Installed {
    private static volatile Hosting hosting;

    private Installed() {
    }

    static synchronized void install(Hosting h) {
        if (hosting != null) {
            throw new IllegalStateException("the runtime's hosting is installed already");
        }
        hosting = h;
    }

    /** Whoever asks holds a runtime or is about to make one: initialising the runtime's class installs it. */
    static Hosting get() {
        Hosting h = hosting;
        if (h == null) {
            try {
                Class.forName(AgentRuntime.class.getName(), true, AgentRuntime.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            h = hosting;
        }
        return h;
    }
}
