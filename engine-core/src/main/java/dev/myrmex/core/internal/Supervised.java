package dev.myrmex.core.internal;

import dev.myrmex.core.supervision.Supervision;

/**
 * What a supervisor can do to one of its children: an agent ({@link AgentCell}) or a supervisor of its own. Every
 * method is called holding the tree's {@link TreeLock}.
 *
 * <p>A child is <em>live</em> while its behavior runs, <em>idle</em> once it went down (failed, or ended under
 * {@code ALWAYS}) or halted, waiting for its supervisor to restart or terminate it, and <em>ended</em> for good.
 */
public interface Supervised {
    String name();

    Supervision supervision();

    /** Asks a live child to wind down (finishing its current message) for a restart; it reports {@code halted}. */
    Halt halt();

    /** Starts an idle child again; {@code cause} is the failure that led to it, or null. No effect otherwise. */
    void restart(Throwable cause);

    /** Ends an idle child for good: FAILED with {@code cause}, or STOPPED when it is null. No effect otherwise. */
    void terminate(Throwable cause);

    /** Stops the child gracefully, whatever it is doing; it reports {@code ended}. No effect once it is ending. */
    void shutdown();

    /** True once the child is ending or has ended. */
    boolean isEnding();

    /** The answer to {@link #halt()}. */
    enum Halt {
        /** It is winding down and will report {@code halted}. */
        WAIT,
        /** It is idle already. */
        IDLE,
        /** It has ended or is ending: nothing to restart. */
        ENDED
    }
}
