package dev.myrmex.core.internal.supervision;

import java.time.Duration;

/**
 * Children of one supervisor to restart together, once each has wound down and the backoff has passed. One per
 * failure under ONE_FOR_ONE; under ALL_FOR_ONE and REST_FOR_ONE, a failure while the round gathers joins it.
 *
 * <p>Not thread-safe: every field is guarded by the tree's lock, as all of {@link SupervisorNode}'s state is.
 */
final class RestartRound {
    /** Members asked to halt that have not yet. */
    int waiting;
    /** The longest backoff its members asked for. */
    Duration delay = Duration.ZERO;
    /** On the timing wheel (or queued after the lock): no member may join it any more. */
    boolean scheduled;
    /** Made stale by a new group failure, a halt or a stop of its node: ignored when it comes due. */
    boolean cancelled;
}
