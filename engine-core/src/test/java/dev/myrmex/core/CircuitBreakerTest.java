package dev.myrmex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.myrmex.core.resilience.CircuitBreaker;
import dev.myrmex.core.resilience.CircuitOpenException;
import dev.myrmex.core.time.RuntimeClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The circuit breaker, on a manual clock: each transition, the async form, and a model-based property. */
class CircuitBreakerTest {
    private final RuntimeClock.Manual clock = RuntimeClock.manual();

    private CircuitBreaker breaker(int failures, int trials, int successes) {
        return CircuitBreaker.builder().failureThreshold(failures).window(Duration.ofSeconds(10))
                .coolDown(Duration.ofSeconds(30)).trialCalls(trials).successThreshold(successes).clock(clock).build();
    }

    private static int fail() {
        throw new IllegalStateException("down");
    }

    @Test
    void opensAfterTheThresholdFailsFastCoolsDownAndClosesAfterGoodTrials() throws Exception {
        CircuitBreaker b = breaker(3, 1, 2);
        for (int i = 0; i < 3; i++) {
            assertThrows(IllegalStateException.class, () -> b.call(CircuitBreakerTest::fail));
        }
        assertEquals(CircuitBreaker.State.OPEN, b.state());
        AtomicInteger tried = new AtomicInteger();
        var open = assertThrows(CircuitOpenException.class, () -> b.call(tried::incrementAndGet));
        assertTrue(open.getMessage().contains("retry after"), open.getMessage());
        assertEquals(0, tried.get(), "an open breaker ran the call");
        clock.advance(Duration.ofSeconds(30));
        assertEquals(1, b.call(() -> 1)); // the first trial
        assertEquals(CircuitBreaker.State.HALF_OPEN, b.state());
        assertEquals(2, b.call(() -> 2)); // the second good trial closes it
        assertEquals(CircuitBreaker.State.CLOSED, b.state());
    }

    @Test
    void onlyFailuresWithinTheWindowCount() throws Exception {
        CircuitBreaker b = breaker(3, 1, 1);
        assertThrows(IllegalStateException.class, () -> b.call(CircuitBreakerTest::fail));
        assertThrows(IllegalStateException.class, () -> b.call(CircuitBreakerTest::fail));
        clock.advance(Duration.ofSeconds(11)); // those two are out of the window now
        assertThrows(IllegalStateException.class, () -> b.call(CircuitBreakerTest::fail));
        assertEquals(CircuitBreaker.State.CLOSED, b.state());
    }

    @Test
    void aFailedTrialOpensItAgainAndTrialsAreLimited() throws Exception {
        CircuitBreaker b = breaker(1, 1, 1);
        assertThrows(IllegalStateException.class, () -> b.call(CircuitBreakerTest::fail));
        clock.advance(Duration.ofSeconds(30));
        CompletableFuture<Integer> pending = new CompletableFuture<>();
        CompletableFuture<Integer> trial = b.callAsync(() -> pending); // the one trial slot, still in flight
        CompletableFuture<Integer> refused = b.callAsync(() -> CompletableFuture.completedFuture(7));
        var e = assertThrows(ExecutionException.class, refused::get);
        assertInstanceOf(CircuitOpenException.class, e.getCause());
        pending.completeExceptionally(new IllegalStateException("still down"));
        assertTrue(trial.isCompletedExceptionally());
        assertEquals(CircuitBreaker.State.OPEN, b.state());
    }

    @Test
    void badSettingsAreRefusedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> CircuitBreaker.builder().failureThreshold(0));
        assertTrue(e.getMessage().contains("failureThreshold"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CircuitBreaker.builder().coolDown(Duration.ZERO));
        assertTrue(e.getMessage().contains("coolDown"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
    }

    /**
     * Random sequences of operations, each a call that succeeds or fails or a step of time, run against the breaker
     * and against a model written as plainly as the rules read; after every step both agree on whether the call was
     * let through and on the state. Calls complete at once here, so one trial slot is always enough.
     */
    @Test
    void behavesLikeTheModelOnRandomSequences() {
        qt().withExamples(300).forAll(
                        // 0-2: a call that succeeds, 3-4: one that fails, 5: 5 s pass, 6: 1 s passes (boundaries of
                        // the 10 s window and the 30 s cool-down are reached exactly)
                        lists().of(integers().between(0, 6)).ofSizeBetween(1, 200),
                        integers().between(1, 4), // failure threshold
                        integers().between(1, 3)) // success threshold
                .checkAssert((ops, failures, successes) -> {
                    RuntimeClock.Manual c = RuntimeClock.manual();
                    CircuitBreaker b = CircuitBreaker.builder().failureThreshold(failures)
                            .window(Duration.ofSeconds(10)).coolDown(Duration.ofSeconds(30))
                            .successThreshold(successes).clock(c).build();
                    Model m = new Model(failures, successes);
                    int step = 0;
                    for (int op : ops) {
                        step++;
                        if (op >= 5) {
                            int seconds = op == 5 ? 5 : 1;
                            c.advance(Duration.ofSeconds(seconds));
                            m.now += seconds;
                            continue;
                        }
                        boolean ok = op <= 2;
                        boolean ran;
                        try {
                            b.call(() -> ok ? 1 : fail());
                            ran = true;
                        } catch (CircuitOpenException refused) {
                            ran = false;
                        } catch (Exception failed) {
                            ran = true;
                        }
                        assertEquals(m.call(ok), ran, "step " + step + " of " + ops);
                        assertEquals(m.state, b.state().name(), "step " + step + " of " + ops);
                    }
                });
    }

    /** The rules, in seconds, sequential calls only. */
    private static final class Model {
        final int failures;
        final int successes;
        long now;
        String state = "CLOSED";
        long openedAt;
        int good;
        final ArrayDeque<Long> recent = new ArrayDeque<>();

        Model(int failures, int successes) {
            this.failures = failures;
            this.successes = successes;
        }

        /** Returns whether the call runs, and applies its outcome. */
        boolean call(boolean ok) {
            if (state.equals("OPEN")) {
                if (now - openedAt < 30) {
                    return false;
                }
                state = "HALF_OPEN";
                good = 0;
            }
            if (state.equals("HALF_OPEN")) {
                if (!ok) {
                    open();
                } else if (++good >= successes) {
                    state = "CLOSED";
                    recent.clear();
                }
                return true;
            }
            if (!ok) {
                recent.add(now);
                recent.removeIf(t -> now - t >= 10); // one exactly a window old is out, as for restarts
                if (recent.size() >= failures) {
                    open();
                }
            }
            return true;
        }

        private void open() {
            state = "OPEN";
            openedAt = now;
            recent.clear();
        }
    }

    @Test
    void theRuntimeHandsOutItsClock() {
        try (AgentRuntime manual = AgentRuntime.builder().workers(1).clock(clock).build();
             AgentRuntime real = AgentRuntime.builder().workers(1).build()) {
            assertEquals(clock, manual.clock());
            assertFalse(real.clock() instanceof RuntimeClock.Manual);
        }
    }
}
