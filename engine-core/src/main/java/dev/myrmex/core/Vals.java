package dev.myrmex.core;

import dev.myrmex.core.internal.ValVerifier;

/**
 * Verification of {@link Val} types and values. The runtime verifies every {@code Val} it sends; call
 * {@link #verify} at start-up to find a bad message type before the first message does.
 */
public final class Vals {
    private Vals() {
    }

    /**
     * Verifies that {@code type} is deeply immutable, once per class (later calls are a cache lookup).
     *
     * @throws IllegalValException naming the class and the offending component
     */
    public static void verify(Class<? extends Val> type) {
        ValVerifier.plan(type);
    }

    /**
     * Verifies {@code value}'s class and runs the per-value checks its declared types left open (that collections
     * are unmodifiable, that an open {@code Val} component holds a valid {@code Val}). Returns {@code value}.
     *
     * @throws IllegalValException naming the class and the offending component
     */
    public static <V extends Val> V check(V value) {
        ValVerifier.check(value);
        return value;
    }
}
