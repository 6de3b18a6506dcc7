package dev.myrmex.sched;

import java.util.function.LongSupplier;

/**
 * Lanes whose runs the scheduler takes in an order you choose: each submission of a member lane's continuation (or
 * plain task) is queued at a <em>rank</em>, and the group's carriers take the smallest rank first, ties in arrival
 * order. This is what priorities, fair share and round robin are built on: the policy decides the rank, the group
 * keeps the order. Runs of lanes outside the group (and of threads from {@link WorkStealingScheduler#threadBuilder()})
 * share the carriers with the group as usual: a group orders its own runs, it does not pre-empt anything else.
 *
 * <pre>{@code
 * LaneGroup byDeadline = scheduler.newLaneGroup("deadline", scheduler.workers());
 * Lane urgent = byDeadline.newLane("urgent", RunHook.NONE, System::nanoTime);
 * Lane relaxed = byDeadline.newLane("relaxed", RunHook.NONE, () -> System.nanoTime() + 10_000_000);
 * urgent.threadBuilder().start(() -> handleAlarm());   // runs ahead of relaxed runs queued less than 10 ms ago
 * }</pre>
 *
 * <p>A member lane has at most one run queued or running: submissions that come meanwhile (its own re-submission from
 * inside a run, a second thread of the lane) wait in the lane and are ranked when the run before them has ended, after
 * its hook. So a lane's hook calls never overlap, and each rank can reflect the run that just ended.
 *
 * <p>At most {@link #parallelism()} carriers run the group's queue at once; each takes runs for a short slice (tens
 * of microseconds) and then goes to the back of its carrier's queue, so the group never holds a carrier for long.
 * A member lane never uses the LIFO slot: the queue decides what runs next.
 *
 * <p>Ranks are compared by their signed difference ({@code a - b < 0}), so ranks made from {@link System#nanoTime()}
 * may wrap; any two ranks queued at once must lie within 2<sup>63</sup> of each other.
 *
 * <p>Thread-safe. Each submission costs a short lock and one small allocation: use a group where the order matters,
 * plain lanes or the scheduler's own builder where it does not.
 */
public interface LaneGroup {
    /** The name given at creation, for diagnostics. */
    String name();

    /** The most carriers that run this group's queue at once. */
    int parallelism();

    /**
     * A new member lane. Every submission of its threads' continuations, and of tasks given to its
     * {@link Lane#executor()}, is queued at {@code rank.getAsLong()}, read at that moment on the submitting thread;
     * every run passes through {@code hook}.
     */
    Lane newLane(String name, RunHook hook, LongSupplier rank);

    /** Runs queued now, waiting for a carrier of the group. */
    int queued();
}
