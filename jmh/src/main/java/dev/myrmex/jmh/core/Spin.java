package dev.myrmex.jmh.core;

/** Work the JIT cannot remove: floating-point steps whose result is checked. */
final class Spin {
    private Spin() {
    }

    static void work(int steps) {
        double x = 1.0;
        for (int i = 0; i < steps; i++) {
            x = Math.sin(x + i) + 1.5;
        }
        if (!(x > 0)) {
            throw new IllegalStateException("impossible: " + x);
        }
    }
}
