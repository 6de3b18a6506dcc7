package dev.myrmex.core.resilience;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.internal.window.SlidingWindow;
import dev.myrmex.core.time.RuntimeClock;
import dev.myrmex.sched.SpinLock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Stops calling something that keeps failing, and tries again later. CLOSED: calls go through; when
 * {@code failureThreshold} of them fail within {@code window} (younger than it: one exactly a window old has left, the
 * same rule as a supervisor's restart window), it opens. OPEN: calls fail at once with
 * {@link CircuitOpenException}, untried, for {@code coolDown}. HALF_OPEN (the first call after the cool-down): at most
 * {@code trialCalls} calls at a time go through as trials; {@code successThreshold} successful trials close it, one
 * failed trial opens it again.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.builder()
 *         .failureThreshold(5).window(Duration.ofSeconds(10))
 *         .coolDown(Duration.ofSeconds(30)).trialCalls(1).successThreshold(2)
 *         .clock(rt.clock()).build();
 * CompletableFuture<Price> p = breaker.callAsync(() -> pricer.ref().ask(new Quote("ACME"), Duration.ofMillis(50)));
 * String body = breaker.call(() -> http.fetch(url));
 * }</pre>
 *
 * <p>Thread-safe: state changes happen under this object's monitor, never while the protected call runs. Time is read
 * from the {@link RuntimeClock} given (the real clock by default).
 */
public final class CircuitBreaker {
    /** The breaker's states. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int failureThreshold;
    private final long windowNanos;
    private final long coolDownNanos;
    private final int trialCalls;
    private final int successThreshold;
    private final RuntimeClock clock;
    /** Guards the state: the scheduler's SpinLock, since handlers call the breaker on the carriers. */
    private final SpinLock lock = new SpinLock();
    private final SlidingWindow recentFailures; // CLOSED: the failures within the window
    private State state = State.CLOSED;
    private long openedAt;
    private int trialsInFlight;
    private int trialSuccesses;

    private CircuitBreaker(Builder b) {
        this.failureThreshold = b.failureThreshold;
        this.windowNanos = b.window.toNanos();
        this.recentFailures = new SlidingWindow(windowNanos);
        this.coolDownNanos = b.coolDown.toNanos();
        this.trialCalls = b.trialCalls;
        this.successThreshold = b.successThreshold;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The state now (an OPEN breaker whose cool-down is over reports HALF_OPEN only once a call has come). */
    public State state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code call} if the breaker lets it through; its exception counts as a failure and is rethrown.
     *
     * @throws CircuitOpenException if the breaker is open, or half-open with all trial slots taken
     */
    public <T> T call(Callable<T> call) throws Exception {
        Objects.requireNonNull(call, "call");
        boolean trial = acquire();
        T result;
        try {
            result = call.call();
        } catch (Exception | Error e) {
            record(false, trial);
            throw e;
        }
        record(true, trial);
        return result;
    }

    /**
     * Starts {@code call} if the breaker lets it through and counts how its future ends: for {@code ask} and other
     * asynchronous calls. When refused, the returned future fails with {@link CircuitOpenException} and {@code call}
     * is not invoked.
     */
    public <T> CompletableFuture<T> callAsync(Supplier<? extends CompletableFuture<T>> call) {
        Objects.requireNonNull(call, "call");
        boolean trial;
        try {
            trial = acquire();
        } catch (CircuitOpenException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> started;
        try {
            started = Objects.requireNonNull(call.get(), "the call returned no future");
        } catch (RuntimeException | Error e) {
            record(false, trial);
            throw e;
        }
        return started.whenComplete((r, t) -> record(t == null, trial));
    }

    /** Lets a call through or throws; returns true if it goes as a half-open trial. */
    private boolean acquire() {
        lock.lock();
        try {
            long now = clock.nanoTime();
            if (state == State.OPEN) {
                if (now - openedAt < coolDownNanos) {
                    throw new CircuitOpenException("circuit open: " + failureThreshold + " failures within "
                            + Duration.ofNanos(windowNanos) + "; retry after "
                            + Duration.ofNanos(coolDownNanos - (now - openedAt)));
                }
                state = State.HALF_OPEN;
                trialsInFlight = 0;
                trialSuccesses = 0;
            }
            if (state == State.HALF_OPEN) {
                if (trialsInFlight >= trialCalls) {
                    throw new CircuitOpenException("circuit half-open: " + trialsInFlight + " trial call(s) in flight");
                }
                trialsInFlight++;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void record(boolean success, boolean trial) {
        lock.lock();
        try {
            long now = clock.nanoTime();
            if (trial) {
                if (state != State.HALF_OPEN) {
                    return; // another trial decided already; this outcome is stale
                }
                trialsInFlight--;
                if (!success) {
                    open(now);
                } else if (++trialSuccesses >= successThreshold) {
                    state = State.CLOSED;
                    recentFailures.clear();
                }
                return;
            }
            if (state != State.CLOSED || success) {
                return; // a late outcome of a call let through before the breaker opened counts for nothing
            }
            if (recentFailures.add(now) >= failureThreshold) {
                open(now);
            }
        } finally {
            lock.unlock();
        }
    }

    private void open(long now) {
        state = State.OPEN;
        openedAt = now;
        recentFailures.clear();
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "CircuitBreaker[" + state + "]";
        } finally {
            lock.unlock();
        }
    }

    /** Settings of a {@link CircuitBreaker}. Defaults: 5 failures in 10 s, 30 s cool-down, 1 trial, 1 success. */
    public static final class Builder {
        private int failureThreshold = 5;
        private Duration window = Duration.ofSeconds(10);
        private Duration coolDown = Duration.ofSeconds(30);
        private int trialCalls = 1;
        private int successThreshold = 1;
        private RuntimeClock clock = RuntimeClock.system();

        private Builder() {
        }

        /** Failures within the window that open the breaker; at least 1. */
        public Builder failureThreshold(int n) {
            this.failureThreshold = atLeastOne(n, "failureThreshold");
            return this;
        }

        /** How far back failures count; positive. */
        public Builder window(Duration d) {
            this.window = positive(d, "window");
            return this;
        }

        /** How long an open breaker refuses calls; positive. */
        public Builder coolDown(Duration d) {
            this.coolDown = positive(d, "coolDown");
            return this;
        }

        /** Trial calls let through at a time while half-open; at least 1. */
        public Builder trialCalls(int n) {
            this.trialCalls = atLeastOne(n, "trialCalls");
            return this;
        }

        /** Successful trials that close the breaker; at least 1. */
        public Builder successThreshold(int n) {
            this.successThreshold = atLeastOne(n, "successThreshold");
            return this;
        }

        /** The clock; usually the runtime's ({@link AgentRuntime#clock()}). */
        public Builder clock(RuntimeClock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        public CircuitBreaker build() {
            return new CircuitBreaker(this);
        }

        private static int atLeastOne(int n, String what) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be at least 1: " + n);
            }
            return n;
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }
    }
}
