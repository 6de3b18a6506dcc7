package dev.myrmex.core;

/** An agent with that name already runs in this runtime. */
public final class AgentNameTakenException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public AgentNameTakenException(String message) {
        super(message);
    }

    public AgentNameTakenException(String message, Throwable cause) {
        super(message, cause);
    }
}
