package dev.myrmex.core;

/**
 * Thrown by {@link DirectContext#receive()} when the agent is being stopped gracefully: let it propagate, the runtime
 * ends the agent cleanly. It is control flow, not an error, so it carries no stack trace: filling one in would cost
 * more than the rest of an agent's end (measured: ForkJoinCreationBenchmark, where every agent stops itself).
 */
public final class AgentStoppingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AgentStoppingException(String message) {
        super(message, null, false, false);
    }

    public AgentStoppingException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
