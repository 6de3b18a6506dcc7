package dev.myrmex.core.supervision;

/**
 * When a supervised agent is restarted (the Erlang/OTP names in brackets). Under a group strategy
 * ({@link SupervisionStrategy#ALL_FOR_ONE}, {@link SupervisionStrategy#REST_FOR_ONE}) the policy also decides what a
 * sibling's restart does to this agent: see {@link SupervisionStrategy}.
 */
public enum RestartPolicy {
    /**
     * After a failure and after a normal end (its behavior returned, or it stopped itself) [permanent]; and with its
     * group when a sibling is restarted.
     */
    ALWAYS,
    /** After a failure only; a normal end is final [transient]. It comes back with its group too. */
    ON_FAILURE,
    /**
     * Never [temporary]: a failure ends it as FAILED, with no effect on its siblings; when a sibling's restart takes
     * its group down, it is stopped for good (STOPPED), not restarted.
     */
    NEVER
}
