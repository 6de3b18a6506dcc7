package dev.myrmex.core.time;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one clock a runtime reads: the timeout wheel (ask, quorum and task timeouts, restart backoff, lease expiry,
 * pacing waits), health checks, cool-downs, rate limits, utilisation and latency metrics, mailbox enqueue stamps, and
 * the wall-clock instants of journal events, checkpoints and tasks. Set it with
 * {@link dev.myrmex.core.AgentRuntime.Builder#clock}; tests use a {@link #manual()} clock and move time themselves, so
 * that timing logic is checked without waiting and without flakiness. No main class of the runtime reads the
 * machine's clocks except through this one (a build check, {@code ArchitectureTest}, fails otherwise).
 *
 * <pre>{@code
 * RuntimeClock.Manual clock = RuntimeClock.manual();
 * AgentRuntime rt = AgentRuntime.builder().clock(clock).build();
 * CompletableFuture<Pong> reply = ref.ask(new Ping(), Duration.ofSeconds(30));
 * clock.advance(Duration.ofSeconds(31));   // the ask times out now, with no real wait
 * }</pre>
 *
 * <h2>Two readings, one origin each</h2>
 * {@link #nanoTime()} is monotonic, in nanoseconds from an arbitrary origin: only differences mean anything.
 * {@link #instant()} is the wall clock (it is an {@link InstantSource}), for the times written down. Implementations
 * must be thread-safe, and {@code nanoTime} must never go back.
 *
 * <h2>What the runtime's clock does not bound</h2>
 * How long a real thread blocks inside a JDK wait (a sender waiting for room in a full mailbox, {@code receive} with
 * a timeout, the grace periods of {@code stop} and of a journal flush, a short spin before parking) is measured by
 * the {@link #system()} clock, since the JDK's waits run on real time: under a manual clock that nobody moves, such a
 * wait would never end.
 */
public interface RuntimeClock extends InstantSource {
    /** Where a {@link #manual()} clock's wall clock starts: 2026-01-01T00:00:00Z, so that runs are repeatable. */
    Instant MANUAL_EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    /** Now, in nanoseconds from an arbitrary origin; only differences mean anything. Never goes back. */
    long nanoTime();

    /** Now on the wall clock: when an event, a checkpoint or a task's step happened. */
    @Override
    Instant instant();

    /** The machine's clocks: {@link System#nanoTime()} and {@link System#currentTimeMillis()}-based instants. */
    static RuntimeClock system() {
        return SystemClock.INSTANCE;
    }

    /** A clock that moves only when told to: for tests and simulations. Starts at 0 and at {@link #MANUAL_EPOCH}. */
    static Manual manual() {
        return new Manual(MANUAL_EPOCH);
    }

    /**
     * A clock that moves only when told to, whose wall clock starts at {@code start}.
     *
     * @throws NullPointerException if {@code start} is null
     */
    static Manual manual(Instant start) {
        return new Manual(Objects.requireNonNull(start, "start"));
    }

    /** The machine's clocks. */
    final class SystemClock implements RuntimeClock {
        private static final SystemClock INSTANCE = new SystemClock();

        private SystemClock() {
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant instant() {
            return Instant.now();
        }

        @Override
        public long millis() {
            return System.currentTimeMillis();
        }

        @Override
        public String toString() {
            return "SystemClock";
        }
    }

    /** A clock that moves only by {@link #advance}: both readings move together. Thread-safe. */
    final class Manual implements RuntimeClock {
        private final AtomicLong now = new AtomicLong();
        private final Instant start;

        private Manual(Instant start) {
            this.start = start;
        }

        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public Instant instant() {
            return start.plusNanos(now.get());
        }

        /**
         * Moves time forward by {@code d}. What falls due (timeouts, expiries) is run by the runtime's own threads
         * right after, not by this call: wait for its effect, not for time.
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
