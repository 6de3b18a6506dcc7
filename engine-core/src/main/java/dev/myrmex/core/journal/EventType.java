package dev.myrmex.core.journal;

/**
 * What happened. Each type has the severity the runtime records it with.
 *
 * <p>Durable journals store a type by its position in this list: add new types at the end, and never reorder,
 * rename or remove one (a test pins the order).
 */
public enum EventType {
    RUNTIME_STARTED(Severity.INFO),
    RUNTIME_STOPPED(Severity.INFO),
    /**
     * An agent was spawned. DEBUG, as its normal end ({@link #AGENT_STOPPED}) is: a runtime may spawn and stop
     * agents by the million, and journalling each would cost as much as the spawn itself (Erlang/OTP leaves its
     * supervisors' progress reports out of the default log level, Pekko its lifecycle logging off, for the same
     * reason). Failures, restarts, pauses and recoveries stay above the default INFO.
     */
    AGENT_SPAWNED(Severity.DEBUG),
    AGENT_STARTED(Severity.DEBUG),
    AGENT_PAUSED(Severity.INFO),
    AGENT_RESUMED(Severity.INFO),
    /** An agent ended normally (stopped, or its behavior returned); DEBUG, see {@link #AGENT_SPAWNED}. */
    AGENT_STOPPED(Severity.DEBUG),
    AGENT_FAILED(Severity.ERROR),
    AGENT_RESTARTED(Severity.WARNING),
    MAILBOX_OVERFLOW(Severity.WARNING),
    DEAD_LETTER(Severity.WARNING),
    CHECKPOINT_WRITTEN(Severity.DEBUG),
    /** The journal writer could not keep up and events were dropped: how many is in the details. */
    EVENTS_DROPPED(Severity.CRITICAL),
    /** A recovering runtime brought the agent back from its last checkpoint: which one is in the details. */
    AGENT_RECOVERED(Severity.INFO),
    /** A recovering runtime could not bring the agent back: why is in the details. */
    AGENT_NOT_RECOVERED(Severity.ERROR),
    /**
     * A recoverable agent ended for good (it stopped or failed on its own, or was stopped), not by its runtime's
     * stop: a recovering runtime does not bring it back. Always journalled, whatever the journal's severity.
     */
    AGENT_RETIRED(Severity.INFO),
    /** A lease was granted: resource, fencing token and ttl in the details; the agent is the holder. */
    LEASE_ACQUIRED(Severity.INFO),
    /** A lease was renewed: its new ttl in the details. */
    LEASE_RENEWED(Severity.DEBUG),
    /** A lease was released by its holder. */
    LEASE_RELEASED(Severity.INFO),
    /** A lease ran past its ttl without being renewed. */
    LEASE_EXPIRED(Severity.WARNING),
    /**
     * A task was submitted; the event's task is its id, the details a summary of its request. The journal keeps it as
     * a typed {@link TaskSubmission}, all a restarted runtime needs to queue it again, and shows it as this event.
     * Always journalled, like the four ends.
     */
    TASK_SUBMITTED(Severity.DEBUG),
    /** An attempt of a task started: the agent is the worker, the attempt's number in the details. */
    TASK_STARTED(Severity.DEBUG),
    /** An attempt failed and the task will be tried again: the failure and the wait in the details. */
    TASK_RETRYING(Severity.WARNING),
    /** A task succeeded. */
    TASK_SUCCEEDED(Severity.INFO),
    /** A task's last allowed attempt failed: the failure in the details. */
    TASK_FAILED(Severity.ERROR),
    /** A task's attempt ran past its timeout and was interrupted. */
    TASK_TIMED_OUT(Severity.ERROR),
    /** A task was cancelled, or not run because a dependency did not succeed: which, in the details. */
    TASK_CANCELLED(Severity.INFO),
    /**
     * A task unfinished when its runtime stopped was queued again by the next start: a {@link TaskSubmission} too,
     * shown with details as TASK_SUBMITTED's.
     */
    TASK_REQUEUED(Severity.WARNING),
    /**
     * A task worker was declared stuck: its attempt was interrupted (past its timeout, or cancelled) and its thread had
     * not returned within the runtime's task interrupt grace. The agent is the stuck worker, the task the attempt's;
     * the details name the agent that replaced it.
     */
    TASK_WORKER_STUCK(Severity.ERROR),
    /**
     * An agent's liveness check found it stuck: busy, with no progress for over its timeout. Recorded while it is still
     * stuck; it is then handed to its restart policy (a direct-style agent is interrupted; a handler fails as soon as
     * the turn it is stuck in returns). The details say for how long.
     */
    AGENT_STUCK(Severity.ERROR),
    /**
     * Fencing tokens up to a mark were reserved for leases (details: {@code up to <mark>}): no lease of a runtime on
     * this journal, now or after a restart, gets a token at or below a mark once a later one is journalled. A runtime
     * journals one before the first grant after its start and one per block of tokens after that, whatever the
     * journal's severity, and hands out none of the block's tokens before the journal has acknowledged it.
     */
    LEASE_TOKENS_RESERVED(Severity.DEBUG);

    private final Severity severity;

    EventType(Severity severity) {
        this.severity = severity;
    }

    /** The severity the runtime records events of this type with. */
    public Severity severity() {
        return severity;
    }
}
