package dev.myrmex.core.internal.supervision;

import dev.myrmex.core.internal.window.SlidingWindow;
import dev.myrmex.core.supervision.Supervision;

/**
 * How many restarts one child position has left: at most {@link Supervision#maxRestarts()} within any
 * {@link Supervision#window()}, counted on the runtime's clock with {@link SlidingWindow}'s edge rule (a restart
 * exactly a window old no longer counts).
 *
 * <p>Not thread-safe: used under the tree's lock.
 */
final class RestartBudget {
    private final int maxRestarts;
    private final SlidingWindow restarts;

    RestartBudget(Supervision supervision) {
        this.maxRestarts = supervision.maxRestarts();
        this.restarts = new SlidingWindow(supervision.window().toNanos());
    }

    /**
     * Spends one restart at {@code nowNanos}.
     *
     * @return the restart's number within the window, from 1; or -1, spending nothing, when the budget is used up
     */
    int spend(long nowNanos) {
        if (restarts.countAt(nowNanos) >= maxRestarts) {
            return -1;
        }
        return restarts.add(nowNanos);
    }

    /** Forgets every restart spent: the window starts over (its supervisor was restarted). */
    void reset() {
        restarts.clear();
    }
}
