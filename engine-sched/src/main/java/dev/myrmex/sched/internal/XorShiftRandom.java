package dev.myrmex.sched.internal;

/**
 * A tiny per-worker xorshift generator for victim selection: no sharing, no allocation, no atomics. Seeded from the
 * scheduler's seed so that runs can be repeated. Not thread-safe: one owner.
 */
final class XorShiftRandom {
    private int state;

    XorShiftRandom(long seed) {
        int s = (int) (seed ^ (seed >>> 32));
        this.state = s == 0 ? 0x9E3779B9 : s;
    }

    /** A value in {@code [0, bound)}; {@code bound} must be positive. */
    int nextInt(int bound) {
        int x = state;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        state = x;
        return (int) (((x & 0xFFFF_FFFFL) * bound) >>> 32); // Lemire's multiply-shift: no modulo bias worth noting
    }
}
