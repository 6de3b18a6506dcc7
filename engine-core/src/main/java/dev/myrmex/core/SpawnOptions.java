package dev.myrmex.core;

import dev.myrmex.core.scheduling.SchedulingPolicy;
import java.util.Objects;

/**
 * Per-agent options for {@link AgentRuntime#spawn(String, Behavior, SpawnOptions)}.
 *
 * <pre>{@code
 * SpawnOptions opts = SpawnOptions.DEFAULTS
 *         .withMailbox(MailboxSettings.DEFAULTS.withCapacity(4096))
 *         .withSupervision(Supervision.of(RestartPolicy.ON_FAILURE))
 *         .withHooks(hooks)
 *         .withPriority(Priority.HIGH)
 *         .withScheduling(SchedulingPolicy.rateBased(500, 20));
 * }</pre>
 *
 * @param mailbox     the agent's mailbox settings; null means the runtime's default
 * @param priority    the agent's priority, read by its scheduling policy ({@link SchedulingPolicy#priority()} orders
 *                    runs by it)
 * @param supervision how the agent is restarted; {@link Supervision#NONE}: a failure ends it
 * @param hooks       code run at its lifecycle points
 * @param health      its liveness and readiness checks
 * @param scheduling  how its runs are ordered and paced; null means the runtime's default policy
 */
public record SpawnOptions(MailboxSettings mailbox, Priority priority, Supervision supervision,
                           LifecycleHooks hooks, HealthCheck health, SchedulingPolicy scheduling) {
    /**
     * The runtime's default mailbox and scheduling policy, NORMAL priority, no supervision, no hooks, no health
     * checks.
     */
    public static final SpawnOptions DEFAULTS =
            new SpawnOptions(null, Priority.NORMAL, Supervision.NONE, LifecycleHooks.NONE, HealthCheck.NONE, null);

    public SpawnOptions {
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(supervision, "supervision");
        Objects.requireNonNull(hooks, "hooks");
        Objects.requireNonNull(health, "health");
    }

    public SpawnOptions withMailbox(MailboxSettings settings) {
        return new SpawnOptions(Objects.requireNonNull(settings, "settings"), priority, supervision, hooks, health,
                scheduling);
    }

    /** The agent's priority: {@link SchedulingPolicy#priority()} runs higher priorities first, with aging. */
    public SpawnOptions withPriority(Priority p) {
        return new SpawnOptions(mailbox, p, supervision, hooks, health, scheduling);
    }

    /** Supervised on its own: restarted by {@code s}; when it fails beyond it, the runtime logs and counts it. */
    public SpawnOptions withSupervision(Supervision s) {
        return new SpawnOptions(mailbox, priority, s, hooks, health, scheduling);
    }

    public SpawnOptions withHooks(LifecycleHooks h) {
        return new SpawnOptions(mailbox, priority, supervision, h, health, scheduling);
    }

    /** Health checks run by the runtime's monitor: see {@link HealthCheck}. */
    public SpawnOptions withHealth(HealthCheck h) {
        return new SpawnOptions(mailbox, priority, supervision, hooks, h, scheduling);
    }

    /**
     * How the agent's runs are ordered and paced, instead of the runtime's default policy. Agents given the same
     * policy instance are ordered against each other: see {@link SchedulingPolicy}.
     */
    public SpawnOptions withScheduling(SchedulingPolicy policy) {
        return new SpawnOptions(mailbox, priority, supervision, hooks, health,
                Objects.requireNonNull(policy, "policy"));
    }
}
