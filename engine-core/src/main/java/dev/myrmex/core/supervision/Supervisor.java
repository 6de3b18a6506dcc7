package dev.myrmex.core.supervision;

import dev.myrmex.core.AgentFailedException;
import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentState;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.metrics.RuntimeMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * A running supervisor: it started the children of its {@link SupervisorSpec} in order and restarts them by their
 * {@link Supervision} and its {@link SupervisionStrategy}. When a child fails more often than its supervision allows,
 * the child is FAILED and the failure escalates: this supervisor winds its other children down and reports itself
 * failed to its own supervisor, which restarts it (all its children start again) or fails in turn. A root supervisor
 * that fails ends FAILED; the runtime logs and counts it ({@link RuntimeMetrics#escalations()}) and carries on.
 *
 * <pre>{@code
 * Supervisor root = rt.supervise("root", SupervisorSpec.builder(SupervisionStrategy.ONE_FOR_ONE)
 *         .agent("db", dbBehavior, Supervision.of(RestartPolicy.ALWAYS))
 *         .supervisor("workers", workersSpec, Supervision.of(RestartPolicy.ON_FAILURE))
 *         .build());
 * AgentRef<Query> db = root.<Query>agent("db").orElseThrow().ref();
 * }</pre>
 *
 * <p>An agent restarted in place keeps its {@link AgentRef} and mailbox. An agent that ended for good (FAILED) and is
 * started again because its supervisor was restarted is a new agent under the same name: look it up again. Its state
 * is RUNNING, RESTARTING while its children are wound down for its own restart, STOPPING, then STOPPED or FAILED.
 * When all its children have ended for good, it ends STOPPED. Thread-safe.
 */
public interface Supervisor {
    String name();

    AgentState state();

    SupervisionStrategy strategy();

    /** The names of its children, in the order of its spec. */
    List<String> children();

    /** The current incarnation of the child agent {@code name}, if it has one of that name that has not ended. */
    <M extends Sendable> Optional<AgentHandle<M>> agent(String name);

    /** The child supervisor {@code name}, if it has one. */
    Optional<Supervisor> supervisor(String name);

    /** How many times this supervisor itself has been restarted by its parent. */
    int restarts();

    /**
     * Stops every child (each finishes its current message) and then ends STOPPED.
     *
     * @throws IllegalStateException if it is already stopping or has ended
     */
    void stop();

    /** Completes when it has ended: normally when STOPPED, exceptionally with an AgentFailedException when FAILED. */
    CompletableFuture<Void> completion();

    /**
     * Waits up to {@code timeout} for the end.
     *
     * @throws AgentFailedException if it ended FAILED
     * @throws TimeoutException     if it has not ended by then
     */
    void join(Duration timeout) throws InterruptedException, TimeoutException;
}
