package dev.myrmex.core.supervision;

/**
 * Which children of a {@link Supervisor} are restarted when one of them is. As in Erlang/OTP, the group strategies
 * look at each sibling's {@link RestartPolicy}: when a child goes down and is to be restarted, the siblings the
 * strategy covers are wound down (each finishes its current message), then those whose policy is
 * {@link RestartPolicy#ALWAYS ALWAYS} or {@link RestartPolicy#ON_FAILURE ON_FAILURE} are started again with it, in
 * start order; a {@link RestartPolicy#NEVER NEVER} sibling is stopped for good (it ends STOPPED and its queued mail
 * becomes dead letters): it is temporary, so it does not outlive the group it depended on, and it is not restarted.
 * A sibling's being wound down is not its own failure, so an ON_FAILURE sibling comes back with the group, as a
 * transient child does in OTP. A child that goes down and is <em>not</em> to be restarted (NEVER, or ON_FAILURE
 * ending normally) touches no sibling. Proven by
 * {@code SupervisionTest.aTemporarySiblingIsStoppedWithItsGroupAndNotRestarted}.
 */
public enum SupervisionStrategy {
    /** Only the child that failed. For children that do not depend on each other. */
    ONE_FOR_ONE,
    /**
     * Every child: the others are stopped (each finishes its current message) and all start again, in order, except
     * NEVER children, which are stopped for good.
     */
    ALL_FOR_ONE,
    /**
     * The child that failed and those declared after it, which depend on it (NEVER ones among them are stopped for
     * good); the earlier ones keep running.
     */
    REST_FOR_ONE
}
