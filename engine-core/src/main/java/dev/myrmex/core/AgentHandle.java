package dev.myrmex.core;

import dev.myrmex.core.metrics.AgentMetrics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Control of one agent: its address, its state, pause / resume / stop, and its end. Safe to use from any thread.
 *
 * @param <M> the messages the agent takes
 */
public interface AgentHandle<M extends Sendable> {
    /** The agent's address. */
    AgentRef<M> ref();

    /** The agent's name, unique within its runtime. */
    String name();

    AgentState state();

    /**
     * Stops the agent from taking messages; they keep queueing (under backpressure) until {@link #resume()}.
     *
     * @throws IllegalStateException unless the agent is RUNNING
     */
    void pause();

    /**
     * Lets a paused agent take messages again, in order.
     *
     * @throws IllegalStateException unless the agent is PAUSED
     */
    void resume();

    /**
     * Stops the agent gracefully: it finishes the message it is processing, and every message still queued becomes a
     * dead letter (counted). Returns at once; {@link #join()} waits for the end.
     *
     * @throws IllegalStateException if the agent is already stopping or has ended
     */
    void stop();

    /**
     * Stops the agent now: {@link #stop()}, and its thread is interrupted (a direct-style agent's, or a
     * blocking-friendly handler's turn; a non-blocking handler has none and stops after its current message).
     *
     * @throws IllegalStateException if the agent is already stopping or has ended
     */
    void stopNow();

    /**
     * Waits for the agent to end and returns the behavior's result (null if it set none).
     *
     * @throws AgentFailedException if the behavior failed; its cause is the behavior's exception
     */
    Object join() throws InterruptedException;

    /**
     * Like {@link #join()}, for at most {@code timeout}.
     *
     * @throws TimeoutException if the agent has not ended by then
     */
    Object join(Duration timeout) throws InterruptedException, TimeoutException;

    /** Completes with the behavior's result, or exceptionally with an {@link AgentFailedException}. */
    CompletableFuture<Object> completion();

    AgentMetrics metrics();
}
