package dev.myrmex.core.metrics;

import dev.myrmex.core.AgentContext;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.AgentStuckException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * An agent's health checks, run by the runtime's health monitor at its interval.
 *
 * <ul>
 *   <li><b>Liveness</b>: the agent's heartbeat is every message it takes, every {@code receive()} call and every
 *       {@link AgentContext#heartbeat()}. An agent that is busy (not waiting for mail) with no heartbeat for longer
 *       than {@code livenessTimeout} is stuck: it is counted, reported in {@link AgentRuntime#health()}, and its
 *       behavior is interrupted, so that it ends with an {@link AgentStuckException} and its restart policy decides.
 *       Code that ignores interrupts cannot be stopped inside a JVM; such an agent stays reported as stuck (run it
 *       out of process if that matters). A non-blocking handler is never interrupted: its carrier is shared.</li>
 *   <li><b>Readiness</b>: a probe the monitor calls (on its own thread: make it thread-safe and quick); false or an
 *       exception means not ready. Without a probe, an agent is ready while RUNNING.</li>
 * </ul>
 *
 * <pre>{@code
 * rt.spawn("indexer", behavior, SpawnOptions.DEFAULTS
 *         .withHealth(HealthCheck.liveness(Duration.ofSeconds(5)).withReadiness(index::isLoaded))
 *         .withSupervision(Supervision.of(RestartPolicy.ON_FAILURE)));
 * }</pre>
 *
 * @param livenessTimeout the longest a busy agent may go without a heartbeat; null: no liveness check
 * @param readiness       the readiness probe; null: ready while RUNNING
 */
public record HealthCheck(Duration livenessTimeout, BooleanSupplier readiness) {
    /** No checks. */
    public static final HealthCheck NONE = new HealthCheck(null, null);

    public HealthCheck {
        if (livenessTimeout != null && (livenessTimeout.isNegative() || livenessTimeout.isZero())) {
            throw new IllegalArgumentException("livenessTimeout must be positive: " + livenessTimeout);
        }
    }

    /** A liveness check with {@code timeout}. */
    public static HealthCheck liveness(Duration timeout) {
        return new HealthCheck(Objects.requireNonNull(timeout, "timeout"), null);
    }

    /** A readiness probe only. */
    public static HealthCheck readiness(BooleanSupplier probe) {
        return new HealthCheck(null, Objects.requireNonNull(probe, "probe"));
    }

    public HealthCheck withReadiness(BooleanSupplier probe) {
        return new HealthCheck(livenessTimeout, Objects.requireNonNull(probe, "probe"));
    }

    /** Whether there is anything to check. */
    public boolean isEmpty() {
        return livenessTimeout == null && readiness == null;
    }
}
