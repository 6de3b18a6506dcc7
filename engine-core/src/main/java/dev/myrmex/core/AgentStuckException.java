package dev.myrmex.core;

import dev.myrmex.core.metrics.HealthCheck;

/**
 * An agent made no progress (no heartbeat while busy) for longer than its liveness timeout; see {@link HealthCheck}.
 */
public final class AgentStuckException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AgentStuckException(String message) {
        super(message);
    }
}
