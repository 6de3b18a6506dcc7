package dev.myrmex.ipc.internal;

/**
 * The Agrona counters of one channel, allocated by the parent in this order (so a counter's id is its ordinal) and
 * labelled for tools that read counters files. Each says who writes it; the other side only reads.
 */
public enum Counter {
    /** Child: bumped every heartbeat interval by the child's heartbeat thread. */
    CHILD_HEARTBEAT("child heartbeat"),
    /** Child: messages the hosted behavior has taken from the ring. */
    TAKEN("messages taken"),
    /** Child: frames the child has written towards the parent. */
    CHILD_SENT("frames sent by the child"),
    /** Parent: 1 once the parent asks for a graceful stop (finish the current message, then end). */
    STOP_REQUESTED("stop requested"),
    /** Child: its process id as it sees it (in the sandbox, its pid inside its own PID namespace), set as it starts. */
    CHILD_PID("child pid"),
    /** Child: frames it refused (malformed, or for no recipient). */
    CHILD_REFUSED("frames refused by the child"),
    /** Child: the processing time of a message, moving average in nanoseconds, as the bits of a double. */
    PROCESSING_NANOS("processing nanos (double bits)"),
    /**
     * Child: the position in the ring to the child up to which it has consumed, while {@link #TAKEN} is even; with
     * {@link #CONSUMED_ODD}, what the parent skips after the child's death ({@link Channel#consumedUpTo}).
     */
    CONSUMED_EVEN("consumed up to (taken even)"),
    /** Child: as {@link #CONSUMED_EVEN}, while {@link #TAKEN} is odd. */
    CONSUMED_ODD("consumed up to (taken odd)");

    private final String label;

    Counter(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public int id() {
        return ordinal();
    }
}
