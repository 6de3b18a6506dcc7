package dev.myrmex.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one clock a runtime's timing reads: timeouts, backoff, cool-downs, leases, heartbeats and rate limits. Set it
 * with {@link AgentRuntime.Builder#clock}; tests use a {@link #manual()} clock and move time themselves, so that
 * timing logic is checked without waiting and without flakiness.
 *
 * <pre>{@code
 * RuntimeClock.Manual clock = RuntimeClock.manual();
 * CircuitBreaker breaker = CircuitBreaker.builder().clock(clock).coolDown(Duration.ofSeconds(30)).build();
 * clock.advance(Duration.ofSeconds(31));   // the cool-down is over, at once
 * }</pre>
 *
 * Implementations must be thread-safe and monotonic (never go back), in nanoseconds from an arbitrary origin, like
 * {@link System#nanoTime()}.
 */
@FunctionalInterface
public interface RuntimeClock {
    /** Now, in nanoseconds from an arbitrary origin; only differences mean anything. */
    long nanoTime();

    /** The real clock: {@link System#nanoTime()}. */
    static RuntimeClock system() {
        return System::nanoTime;
    }

    /** A clock that moves only when told to: for tests and simulations. Starts at 0. */
    static Manual manual() {
        return new Manual();
    }

    /** A clock that moves only by {@link #advance}. Thread-safe. */
    final class Manual implements RuntimeClock {
        private final AtomicLong now = new AtomicLong();

        private Manual() {
        }

        @Override
        public long nanoTime() {
            return now.get();
        }

        /**
         * Moves time forward by {@code d}.
         *
         * @throws IllegalArgumentException if {@code d} is negative: the clock is monotonic
         */
        public void advance(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("a clock does not go back: " + d);
            }
            now.addAndGet(d.toNanos());
        }

        @Override
        public String toString() {
            return "ManualClock[" + Duration.ofNanos(now.get()) + "]";
        }
    }
}
