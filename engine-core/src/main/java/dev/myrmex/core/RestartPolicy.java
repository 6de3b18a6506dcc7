package dev.myrmex.core;

/**
 * When a supervised agent is restarted (the Erlang/OTP names in brackets).
 */
public enum RestartPolicy {
    /** After a failure and after a normal end (its behaviour returned, or it stopped itself) [permanent]. */
    ALWAYS,
    /** After a failure only; a normal end is final [transient]. */
    ON_FAILURE,
    /** Never: a failure ends it as FAILED, with no effect on its siblings [temporary]. */
    NEVER
}
