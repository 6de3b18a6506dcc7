package dev.myrmex.core.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long to wait before the n-th retry (a restart, a reconnection): fixed, linear or exponential, capped at a
 * maximum, with optional jitter so that many agents that failed together do not retry together.
 *
 * <pre>{@code
 * Backoff b = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(30)).withJitter(0.2);
 * Duration wait = b.delay(attempt, random);   // attempt 1: 80-100 ms, 2: 160-200 ms, ... never over 30 s
 * }</pre>
 *
 * <p>The base delay of attempt {@code n} (from 1) is {@code initial} for fixed, {@code initial + (n - 1) * step} for
 * linear and {@code initial * multiplier^(n - 1)} for exponential, each capped at {@code max} (no overflow however
 * large {@code n}). Jitter {@code j} takes off a random part: the delay is in {@code [(1 - j) * base, base]}, so it
 * never exceeds the base or the cap. Immutable and thread-safe; randomness comes from the caller (the runtime's seeded
 * source), so a run can be replayed.
 */
public final class Backoff {
    private enum Kind { FIXED, LINEAR, EXPONENTIAL }

    private final Kind kind;
    private final long initialNanos;
    private final long stepNanos;
    private final double multiplier;
    private final long maxNanos;
    private final double jitter;

    private Backoff(Kind kind, long initialNanos, long stepNanos, double multiplier, long maxNanos, double jitter) {
        this.kind = kind;
        this.initialNanos = initialNanos;
        this.stepNanos = stepNanos;
        this.multiplier = multiplier;
        this.maxNanos = maxNanos;
        this.jitter = jitter;
    }

    /** The same {@code delay} before every retry; it may be zero. */
    public static Backoff fixed(Duration delay) {
        long d = nonNegative(delay, "delay");
        return new Backoff(Kind.FIXED, d, 0, 1, d, 0);
    }

    /** {@code initial}, then {@code step} more for each retry, up to {@code max}. */
    public static Backoff linear(Duration initial, Duration step, Duration max) {
        long i = nonNegative(initial, "initial");
        long m = nonNegative(max, "max");
        if (m < i) {
            throw new IllegalArgumentException("max " + max + " is below initial " + initial);
        }
        return new Backoff(Kind.LINEAR, i, nonNegative(step, "step"), 1, m, 0);
    }

    /** {@code initial}, multiplied by {@code multiplier} for each retry, up to {@code max}. */
    public static Backoff exponential(Duration initial, double multiplier, Duration max) {
        long i = nonNegative(initial, "initial");
        long m = nonNegative(max, "max");
        if (m < i) {
            throw new IllegalArgumentException("max " + max + " is below initial " + initial);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number of at least 1: " + multiplier);
        }
        return new Backoff(Kind.EXPONENTIAL, i, 0, multiplier, m, 0);
    }

    /**
     * The same backoff with jitter {@code fraction}: each delay is cut by a random part of at most that fraction.
     *
     * @throws IllegalArgumentException unless {@code 0 <= fraction <= 1}
     */
    public Backoff withJitter(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1: " + fraction);
        }
        return new Backoff(kind, initialNanos, stepNanos, multiplier, maxNanos, fraction);
    }

    /**
     * The delay before retry number {@code attempt} (1 for the first).
     *
     * @throws IllegalArgumentException if {@code attempt} is below 1
     */
    public Duration delay(int attempt, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        long base = baseNanos(attempt);
        if (jitter == 0 || base == 0) {
            return Duration.ofNanos(base);
        }
        long cut = (long) (base * jitter * random.nextDouble()); // in [0, jitter * base)
        return Duration.ofNanos(base - cut);
    }

    /** The delay before retry {@code attempt} without jitter. */
    public Duration baseDelay(int attempt) {
        return Duration.ofNanos(baseNanos(attempt));
    }

    private long baseNanos(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1: " + attempt);
        }
        int n = attempt - 1;
        return switch (kind) {
            case FIXED -> initialNanos;
            // Past (max - initial) / step steps the cap holds; below it n * step cannot overflow.
            case LINEAR -> stepNanos == 0 ? initialNanos
                    : n > (maxNanos - initialNanos) / stepNanos ? maxNanos : initialNanos + n * stepNanos;
            case EXPONENTIAL -> {
                double d = initialNanos * Math.pow(multiplier, n); // may be Infinity: capped below
                yield d >= maxNanos ? maxNanos : (long) d;
            }
        };
    }

    private static long nonNegative(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + d);
        }
        return d.toNanos();
    }

    @Override
    public String toString() {
        return switch (kind) {
            case FIXED -> "Backoff[fixed " + Duration.ofNanos(initialNanos);
            case LINEAR -> "Backoff[linear " + Duration.ofNanos(initialNanos) + " + " + Duration.ofNanos(stepNanos)
                    + " per retry, max " + Duration.ofNanos(maxNanos);
            case EXPONENTIAL -> "Backoff[exponential " + Duration.ofNanos(initialNanos) + " x " + multiplier
                    + " per retry, max " + Duration.ofNanos(maxNanos);
        } + (jitter > 0 ? ", jitter " + jitter + "]" : "]");
    }
}
