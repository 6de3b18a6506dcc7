package dev.myrmex.jmh.core;

/** Savina's fork-join workload: a little floating-point work per message, that the JIT cannot remove. */
final class Work {
    private Work() {
    }

    /** Savina's argument to {@code performComputation} in its fork-join benchmarks. */
    private static final double THETA = 37.2;

    /** Savina's {@code performComputation(37.2)}: a sine, squared, checked. */
    static void perform() {
        double sine = Math.sin(THETA);
        double result = sine * sine;
        if (result <= 0) {
            throw new IllegalStateException("the result is not positive: " + result);
        }
    }
}
