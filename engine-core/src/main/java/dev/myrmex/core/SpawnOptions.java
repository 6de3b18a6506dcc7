package dev.myrmex.core;

import dev.myrmex.core.host.AgentHost;
import dev.myrmex.core.mailbox.MailboxSettings;
import dev.myrmex.core.metrics.HealthCheck;
import dev.myrmex.core.scheduling.Priority;
import dev.myrmex.core.scheduling.SchedulingPolicy;
import dev.myrmex.core.supervision.Supervision;
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
 * @param host        where its behavior runs, when not in this runtime: see {@link #outOfProcess}; null means here
 */
public record SpawnOptions(MailboxSettings mailbox, Priority priority, Supervision supervision,
                           LifecycleHooks hooks, HealthCheck health, SchedulingPolicy scheduling, AgentHost host) {
    /**
     * The runtime's default mailbox and scheduling policy, NORMAL priority, no supervision, no hooks, no health
     * checks.
     */
    public static final SpawnOptions DEFAULTS =
            new SpawnOptions(null, Priority.NORMAL, Supervision.NONE, LifecycleHooks.NONE, HealthCheck.NONE, null,
                    null);

    public SpawnOptions {
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(supervision, "supervision");
        Objects.requireNonNull(hooks, "hooks");
        Objects.requireNonNull(health, "health");
    }

    public SpawnOptions withMailbox(MailboxSettings settings) {
        return new SpawnOptions(Objects.requireNonNull(settings, "settings"), priority, supervision, hooks, health,
                scheduling, host);
    }

    /** The agent's priority: {@link SchedulingPolicy#priority()} runs higher priorities first, with aging. */
    public SpawnOptions withPriority(Priority p) {
        return new SpawnOptions(mailbox, p, supervision, hooks, health, scheduling, host);
    }

    /** Supervised on its own: restarted by {@code s}; when it fails beyond it, the runtime logs and counts it. */
    public SpawnOptions withSupervision(Supervision s) {
        return new SpawnOptions(mailbox, priority, s, hooks, health, scheduling, host);
    }

    public SpawnOptions withHooks(LifecycleHooks h) {
        return new SpawnOptions(mailbox, priority, supervision, h, health, scheduling, host);
    }

    /** Health checks run by the runtime's monitor: see {@link HealthCheck}. */
    public SpawnOptions withHealth(HealthCheck h) {
        return new SpawnOptions(mailbox, priority, supervision, hooks, h, scheduling, host);
    }

    /**
     * How the agent's runs are ordered and paced, instead of the runtime's default policy. Agents given the same
     * policy instance are ordered against each other: see {@link SchedulingPolicy}.
     */
    public SpawnOptions withScheduling(SchedulingPolicy policy) {
        return new SpawnOptions(mailbox, priority, supervision, hooks, health,
                Objects.requireNonNull(policy, "policy"), host);
    }

    /**
     * Runs the behavior outside this runtime's heap, on {@code host}: with engine-ipc's {@code OutOfProcess}, in a
     * child JVM under resource limits. The agent's address, lifecycle, supervision, metrics and join stay here and
     * work as for any agent; its messages must then be encodable (see the host). The mailbox settings give the
     * sender's wait for room ({@link MailboxSettings#blockTimeout()}); the host sizes its own buffers.
     */
    public SpawnOptions outOfProcess(AgentHost host) {
        return new SpawnOptions(mailbox, priority, supervision, hooks, health, scheduling,
                Objects.requireNonNull(host, "host"));
    }
}
