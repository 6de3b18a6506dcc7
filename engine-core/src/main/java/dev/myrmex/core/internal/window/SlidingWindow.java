package dev.myrmex.core.internal.window;

import java.util.ArrayDeque;

/**
 * Events in the last {@code window} of a clock's nanoseconds: the one count behind "more than N within T" (a
 * supervisor's restart intensity, a circuit breaker's failure threshold). One edge rule for both: an event counts while
 * it is younger than the window, so one exactly a window old has left it (the interval is {@code (now - window, now]}).
 *
 * <p>Not thread-safe: its owner guards it (the supervision tree's lock, the breaker's lock). Times come from one
 * clock and only grow.
 */
public final class SlidingWindow {
    private final long windowNanos;
    private final ArrayDeque<Long> times = new ArrayDeque<>();

    /** @throws IllegalArgumentException if {@code windowNanos} is not positive */
    public SlidingWindow(long windowNanos) {
        if (windowNanos <= 0) {
            throw new IllegalArgumentException("window must be positive: " + windowNanos + " ns");
        }
        this.windowNanos = windowNanos;
    }

    /** Events within the window that ends at {@code now}; older ones are forgotten. */
    public int countAt(long now) {
        while (!times.isEmpty() && now - times.peekFirst() >= windowNanos) {
            times.pollFirst();
        }
        return times.size();
    }

    /** Adds an event at {@code now}; returns the events within the window, this one included. */
    public int add(long now) {
        times.addLast(now);
        return countAt(now);
    }

    /** Forgets every event. */
    public void clear() {
        times.clear();
    }
}
