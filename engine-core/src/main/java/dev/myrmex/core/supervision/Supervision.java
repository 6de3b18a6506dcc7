package dev.myrmex.core.supervision;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.resilience.Backoff;
import java.time.Duration;
import java.util.Objects;

/**
 * How one agent is restarted: its {@link RestartPolicy}, at most {@code maxRestarts} restarts within {@code window}
 * (one more failure and the agent is FAILED and the failure escalates to its parent), and the {@link Backoff} between
 * a failure and the restart (the n-th restart within the window waits {@code backoff.delay(n)}).
 *
 * <pre>{@code
 * Supervision s = Supervision.of(RestartPolicy.ON_FAILURE)
 *         .withMaxRestarts(5, Duration.ofSeconds(10))
 *         .withBackoff(Backoff.exponential(Duration.ofMillis(10), 2.0, Duration.ofSeconds(1)).withJitter(0.2));
 * rt.spawn("worker", behavior, SpawnOptions.DEFAULTS.withSupervision(s));
 * }</pre>
 *
 * A restarted agent keeps its {@link AgentRef} and its mailbox; the message it failed on becomes a dead letter
 * ({@link DeadLetter.Reason#AGENT_FAILED}) carrying the cause. Its behavior starts from scratch: a direct-style
 * behavior's {@code run} is called again; for state that must be fresh in a handler, build it in
 * {@link Behaviors#setup}.
 *
 * @param policy      when to restart
 * @param maxRestarts restarts allowed within {@code window}, at least 0
 * @param window      the sliding window the restarts are counted in, positive
 * @param backoff     the wait before each restart
 */
public record Supervision(RestartPolicy policy, int maxRestarts, Duration window, Backoff backoff) {
    /** 5 restarts within 10 seconds. */
    public static final int DEFAULT_MAX_RESTARTS = 5;
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    /** 10 ms, doubling up to 1 s, 20% jitter. */
    public static final Backoff DEFAULT_BACKOFF =
            Backoff.exponential(Duration.ofMillis(10), 2.0, Duration.ofSeconds(1)).withJitter(0.2);
    /** No restarts at all: the behavior of an agent spawned without supervision. */
    public static final Supervision NONE = of(RestartPolicy.NEVER);

    public Supervision {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(backoff, "backoff");
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must not be negative: " + maxRestarts);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
    }

    /** {@code policy} with the defaults: {@value #DEFAULT_MAX_RESTARTS} restarts in 10 s, exponential backoff. */
    public static Supervision of(RestartPolicy policy) {
        return new Supervision(policy, DEFAULT_MAX_RESTARTS, DEFAULT_WINDOW, DEFAULT_BACKOFF);
    }

    public Supervision withMaxRestarts(int max, Duration within) {
        return new Supervision(policy, max, within, backoff);
    }

    public Supervision withBackoff(Backoff b) {
        return new Supervision(policy, maxRestarts, window, b);
    }
}
