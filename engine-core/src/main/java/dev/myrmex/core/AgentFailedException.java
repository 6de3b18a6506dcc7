package dev.myrmex.core;

/** An agent's behavior failed; the cause is what it threw. */
public final class AgentFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AgentFailedException(String message) {
        super(message);
    }

    public AgentFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
