package dev.myrmex.core;

/** A spawn would exceed the runtime's maxAgents. */
public final class AgentLimitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AgentLimitException(String message) {
        super(message);
    }

    public AgentLimitException(String message, Throwable cause) {
        super(message, cause);
    }
}
