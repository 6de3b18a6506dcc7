package dev.myrmex.core;

import java.util.Objects;

/**
 * Per-agent options for {@link AgentRuntime#spawn(String, Behavior, SpawnOptions)}.
 *
 * @param mailbox  the agent's mailbox settings; null means the runtime's default
 * @param priority the agent's scheduling priority
 */
public record SpawnOptions(MailboxSettings mailbox, Priority priority) {
    /** The runtime's default mailbox, NORMAL priority. */
    public static final SpawnOptions DEFAULTS = new SpawnOptions(null, Priority.NORMAL);

    public SpawnOptions {
        Objects.requireNonNull(priority, "priority");
    }

    public SpawnOptions withMailbox(MailboxSettings settings) {
        return new SpawnOptions(Objects.requireNonNull(settings, "settings"), priority);
    }

    public SpawnOptions withPriority(Priority p) {
        return new SpawnOptions(mailbox, p);
    }
}
