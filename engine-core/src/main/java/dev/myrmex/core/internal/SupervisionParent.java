package dev.myrmex.core.internal;

/**
 * What a child reports to its supervisor. {@link #down} and {@link #halted} are called holding the tree's
 * {@link #lock()}; {@link #ended} takes it itself.
 */
public interface SupervisionParent {
    /** The tree's lock, shared by every supervisor and child in the tree. */
    TreeLock lock();

    /**
     * The child went down and is idle: its behavior threw {@code failure}, or ended normally (null). Decide: restart
     * it (and siblings, by strategy), or terminate it and escalate.
     */
    void down(Supervised child, Throwable failure);

    /** The child, asked to {@link Supervised#halt}, has wound down and is idle. */
    void halted(Supervised child);

    /** The child has ended for good: FAILED with {@code failure}, or STOPPED (null). */
    void ended(Supervised child, Throwable failure);
}
