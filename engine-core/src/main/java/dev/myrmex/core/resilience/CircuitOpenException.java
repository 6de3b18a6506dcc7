package dev.myrmex.core.resilience;

/** A call refused by an open {@link CircuitBreaker}, without being tried. */
public final class CircuitOpenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CircuitOpenException(String message) {
        super(message);
    }
}
