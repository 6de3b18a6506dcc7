package dev.myrmex.core.spi;

/**
 * How an agent's behavior runs: the one name for it in journal events, JFR events, engine-ipc and the tests. Ask a
 * behavior for its style with {@link Hosting#styleOf}.
 */
public enum AgentStyle {
    /** Ordinary blocking code on a virtual thread of its own that takes messages with {@code receive()}. */
    DIRECT("direct style"),
    /** A message handler whose turns run straight on the carrier threads: no thread while idle, must not block. */
    HANDLER("handler"),
    /** A message handler whose turns each run on a virtual thread started for it: no thread while idle, may block. */
    BLOCKING_HANDLER("blocking-friendly handler");

    private final String description;

    AgentStyle(String description) {
        this.description = description;
    }

    /** The words journal events use for this style, such as "direct style". */
    public String description() {
        return description;
    }

    /** True for both handler styles: messages come to a handler, one call each, and no thread waits while idle. */
    public boolean isHandler() {
        return this != DIRECT;
    }
}
