package dev.myrmex.core;

import java.util.Objects;

/**
 * Per-agent options for {@link AgentRuntime#spawn(String, Behavior, SpawnOptions)}.
 *
 * <pre>{@code
 * SpawnOptions opts = SpawnOptions.DEFAULTS
 *         .withMailbox(MailboxSettings.DEFAULTS.withCapacity(4096))
 *         .withSupervision(Supervision.of(RestartPolicy.ON_FAILURE))
 *         .withHooks(hooks);
 * }</pre>
 *
 * @param mailbox     the agent's mailbox settings; null means the runtime's default
 * @param priority    the agent's scheduling priority
 * @param supervision how the agent is restarted; {@link Supervision#NONE}: a failure ends it
 * @param hooks       code run at its lifecycle points
 * @param health      its liveness and readiness checks
 */
public record SpawnOptions(MailboxSettings mailbox, Priority priority, Supervision supervision,
                           LifecycleHooks hooks, HealthCheck health) {
    /** The runtime's default mailbox, NORMAL priority, no supervision, no hooks, no health checks. */
    public static final SpawnOptions DEFAULTS =
            new SpawnOptions(null, Priority.NORMAL, Supervision.NONE, LifecycleHooks.NONE, HealthCheck.NONE);

    public SpawnOptions {
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(supervision, "supervision");
        Objects.requireNonNull(hooks, "hooks");
        Objects.requireNonNull(health, "health");
    }

    public SpawnOptions withMailbox(MailboxSettings settings) {
        return new SpawnOptions(Objects.requireNonNull(settings, "settings"), priority, supervision, hooks, health);
    }

    public SpawnOptions withPriority(Priority p) {
        return new SpawnOptions(mailbox, p, supervision, hooks, health);
    }

    /** Supervised on its own: restarted by {@code s}; when it fails beyond it, the runtime logs and counts it. */
    public SpawnOptions withSupervision(Supervision s) {
        return new SpawnOptions(mailbox, priority, s, hooks, health);
    }

    public SpawnOptions withHooks(LifecycleHooks h) {
        return new SpawnOptions(mailbox, priority, supervision, h, health);
    }

    /** Health checks run by the runtime's monitor: see {@link HealthCheck}. */
    public SpawnOptions withHealth(HealthCheck h) {
        return new SpawnOptions(mailbox, priority, supervision, hooks, h);
    }
}
