package dev.myrmex.core.host;

import dev.myrmex.core.Behavior;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.mailbox.MailboxFullException;
import dev.myrmex.core.metrics.AgentMetrics;

/**
 * SPI: one agent placed by an {@link AgentHost}, as the runtime drives it. The runtime keeps an ordinary agent in
 * process whose behavior is {@link #watcher()} and whose address delivers through {@link #deliver}: so spawn, restart
 * by a supervisor, stop, join and the agent's events work as for any agent, and the host supplies only what happens
 * elsewhere.
 *
 * <p>Threads: {@link #deliver} is called by any sender thread, concurrently; {@link #paused} and {@link #resumed} by
 * whoever pauses or resumes the agent, under the agent's lifecycle lock (keep them short); the watcher runs on the
 * agent's own virtual thread, one incarnation at a time; {@link #ended} once, after the agent's terminal state.
 *
 * @param <M> the messages the agent takes
 */
public interface HostedAgent<M extends Sendable> {
    /**
     * The in-process behavior of the agent, run once per incarnation: it starts the remote behavior, watches it,
     * and returns when the remote behavior returned (or was stopped) or throws when it failed or died, which the
     * agent's supervisor then handles as any agent's failure. It learns of a stop of the agent from its context:
     * {@code receive(timeout)} throws {@link dev.myrmex.core.AgentStoppingException} (graceful) or
     * {@link InterruptedException} (immediate); no message ever arrives through that mailbox.
     */
    Behavior<M> watcher();

    /**
     * Delivers a message sent to the agent, from any thread; {@code mayWait} says whether the sender may wait (for
     * a bounded time) for room.
     *
     * @return true if delivered, false if it became a dead letter (the agent has ended)
     * @throws MailboxFullException if there is no room and the sender may not wait, or none came in time
     */
    boolean deliver(Message<M> message, boolean mayWait) throws InterruptedException;

    /**
     * Called by a thread blocked on the reply to an {@code ask} of this agent, to take in, on that thread, what the
     * remote side has sent back (a reply then completes without a hand-off between threads). Must not block; must
     * deliver exactly as the host's own reading would (same order, same dead letters).
     *
     * @return true if it took anything in
     */
    default boolean pollReplies() {
        return false;
    }

    /** The agent was paused: stop the remote behavior where it stands. */
    void paused();

    /** The agent was resumed: let the remote behavior go on. */
    void resumed();

    /** The agent's metrics, from {@code local}, the in-process agent's own (state, restarts), and the remote side's. */
    AgentMetrics metrics(AgentMetrics local);

    /** The agent has ended for good: release what the host holds for it; later deliveries are dead letters. */
    void ended();
}
