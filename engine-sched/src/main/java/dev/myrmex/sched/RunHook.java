package dev.myrmex.sched;

/**
 * Called around every run of a {@link Lane}'s continuations, on the carrier, right before the virtual thread is
 * mounted and right after it unmounts (it parked, yielded or ended). This is where scheduling policies measure
 * run time, count turns and decide whether the lane may keep its cache-hot LIFO placement.
 *
 * <p>Both methods run on the scheduler's hot path: keep them short, allocation-free and non-blocking. An exception
 * thrown by a hook is caught and logged; the continuation still runs.
 */
public interface RunHook {
    /** Before the continuation runs. */
    default void beforeRun() {
    }

    /** After the continuation returned control (parked, yielded or ended). */
    default void afterRun() {
    }

    /** A hook that does nothing. */
    RunHook NONE = new RunHook() {
    };
}
