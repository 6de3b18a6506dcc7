package dev.myrmex.core;

/** Which of the three capabilities a message payload has; derived from its type, see {@link #of}. */
public enum Capability {
    /** Deeply immutable: shared, never copied. */
    VAL,
    /** Uniquely owned: moved from sender to receiver. */
    ISO,
    /** Identity only: an address. */
    TAG;

    /** The capability of {@code payload}. Exhaustive over the sealed {@link Sendable}: a new kind will not compile. */
    public static Capability of(Sendable payload) {
        return switch (payload) {
            case Val v -> VAL;
            case Iso<?> i -> ISO;
            case Tag t -> TAG;
        };
    }
}
