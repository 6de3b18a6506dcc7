package dev.myrmex.core;

/** Thrown by {@link AgentContext#receive()} when the agent is being stopped gracefully: let it propagate, the runtime ends the agent cleanly. */
public final class AgentStoppingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AgentStoppingException(String message) {
        super(message);
    }

    public AgentStoppingException(String message, Throwable cause) {
        super(message, cause);
    }
}
