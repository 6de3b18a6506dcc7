package dev.myrmex.core;

/** Which children of a {@link Supervisor} are restarted when one of them is. */
public enum SupervisionStrategy {
    /** Only the child that failed. For children that do not depend on each other. */
    ONE_FOR_ONE,
    /** Every child: the others are stopped (each finishes its current message) and all start again, in order. */
    ALL_FOR_ONE,
    /** The child that failed and those declared after it, which depend on it; the earlier ones keep running. */
    REST_FOR_ONE
}
