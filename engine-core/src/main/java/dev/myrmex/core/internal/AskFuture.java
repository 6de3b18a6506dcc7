package dev.myrmex.core.internal;

import dev.myrmex.core.time.RuntimeClock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The future of an {@code ask} whose reply can be fetched by the waiting thread itself: before a blocking
 * {@link #get}/{@link #join} parks, a platform thread polls the {@code helper} (for an out-of-process agent, the ring
 * its replies come back on) for a short while, so a reply that is microseconds away costs no thread hand-off. A
 * virtual thread (an agent's, or a user's) does not help: its carrier is shared, and an agent would deliver what it
 * reads with its own backpressure rather than the reader's. Completion itself is the plain future's (any thread,
 * once); the helper only brings the reply sooner.
 *
 * @param <R> the reply type
 */
final class AskFuture<R> extends CompletableFuture<R> {
    /** How long a platform thread polls before it parks. */
    private static final long HELP_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private final BooleanSupplier helper;
    private final long helpNanos;

    AskFuture(BooleanSupplier helper) {
        this(helper, HELP_NANOS);
    }

    /** With a chosen help budget: tests take a long one, so a descheduled thread still finds its reply. */
    AskFuture(BooleanSupplier helper, long helpNanos) {
        this.helper = helper;
        this.helpNanos = helpNanos;
    }

    @Override
    public R get() throws InterruptedException, ExecutionException {
        help(helpNanos);
        return super.get();
    }

    @Override
    public R get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        help(Math.min(helpNanos, unit.toNanos(timeout)));
        return super.get(timeout, unit);
    }

    @Override
    public R join() {
        help(helpNanos);
        return super.join();
    }

    private void help(long budgetNanos) {
        if (isDone() || Thread.currentThread().isVirtual()) {
            return;
        }
        long start = RuntimeClock.system().nanoTime();
        while (!isDone() && RuntimeClock.system().nanoTime() - start < budgetNanos) {
            if (!helper.getAsBoolean()) {
                Thread.onSpinWait();
            }
        }
    }
}
