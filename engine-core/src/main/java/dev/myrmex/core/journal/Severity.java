package dev.myrmex.core.journal;

/** How much a journal event matters, least first: a filter for "at least WARNING" keeps WARNING, ERROR, CRITICAL. */
public enum Severity {
    DEBUG, INFO, WARNING, ERROR, CRITICAL;

    /** True if this is {@code other} or more severe. */
    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }
}
