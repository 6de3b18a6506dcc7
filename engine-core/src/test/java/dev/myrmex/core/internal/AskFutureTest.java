package dev.myrmex.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AskFutureTest {
    /** A helper that brings the reply on its third poll, as a ring read by the waiting thread would. */
    private static final class ThirdPoll {
        final AtomicInteger polls = new AtomicInteger();
        final AtomicReference<AskFuture<String>> future = new AtomicReference<>();

        boolean poll() {
            if (polls.incrementAndGet() == 3) {
                future.get().complete("reply");
                return true;
            }
            return false;
        }
    }

    /** Long enough that a thread descheduled between polls on a loaded machine still polls a third time. */
    private static final long LONG_HELP = TimeUnit.SECONDS.toNanos(30);

    @Test
    // A future that parked without its reply would wait for ever (nobody else completes it), and join() ignores
    // interrupts: the timeout runs the test on a thread of its own.
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aPlatformThreadFetchesTheReplyItselfBeforeItParks() throws Exception {
        ThirdPoll h = new ThirdPoll();
        AskFuture<String> f = new AskFuture<>(h::poll, LONG_HELP);
        h.future.set(f);
        assertEquals("reply", f.get()); // nobody else completes it: only the polls can
        assertEquals(3, h.polls.get());

        ThirdPoll j = new ThirdPoll();
        AskFuture<String> g = new AskFuture<>(j::poll, LONG_HELP);
        j.future.set(g);
        assertEquals("reply", g.join());

        ThirdPoll t = new ThirdPoll();
        AskFuture<String> timed = new AskFuture<>(t::poll, LONG_HELP);
        t.future.set(timed);
        assertEquals("reply", timed.get(60, TimeUnit.SECONDS));
    }

    @Test
    void helpingStopsAtTheBudgetAndTheTimeoutStillHolds() {
        AtomicInteger polls = new AtomicInteger();
        AskFuture<String> f = new AskFuture<>(() -> {
            polls.incrementAndGet();
            return false;
        });
        assertThrows(TimeoutException.class, () -> f.get(1, TimeUnit.MILLISECONDS));
        assertFalse(polls.get() == 0, "it polled before it parked");
    }

    @Test
    void aVirtualThreadDoesNotHelp() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        AskFuture<String> f = new AskFuture<>(() -> {
            polls.incrementAndGet();
            return false;
        });
        CompletableFuture<String> got = new CompletableFuture<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                got.complete(f.get());
            } catch (InterruptedException | ExecutionException e) {
                got.completeExceptionally(e);
            }
        });
        while (waiter.getState() != Thread.State.WAITING) { // parked in get
            Thread.onSpinWait();
        }
        f.complete("reply");
        assertEquals("reply", got.get(10, TimeUnit.SECONDS));
        assertEquals(0, polls.get());
    }
}
