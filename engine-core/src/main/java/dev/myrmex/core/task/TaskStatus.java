package dev.myrmex.core.task;

import dev.myrmex.core.journal.EventType;

/** Where a task stands. A task ends in exactly one of the final statuses and never leaves it. */
public enum TaskStatus {
    /** Waiting: for its dependencies, for a worker, or for its next attempt after a failure. */
    PENDING,
    /** A worker is running an attempt. */
    RUNNING,
    /** An attempt returned. Final. */
    SUCCEEDED,
    /** The last allowed attempt threw. Final. */
    FAILED,
    /** An attempt ran past the task's timeout and was interrupted. Final. */
    TIMEOUT,
    /** Cancelled, or never run because a dependency did not succeed (the task's reason says which). Final. */
    CANCELLED;

    /** Whether the task has ended. */
    public boolean isFinal() {
        return this.ordinal() >= SUCCEEDED.ordinal();
    }

    /** The journal event of ending in this status. */
    EventType endEvent() {
        return switch (this) {
            case SUCCEEDED -> EventType.TASK_SUCCEEDED;
            case FAILED -> EventType.TASK_FAILED;
            case TIMEOUT -> EventType.TASK_TIMED_OUT;
            case CANCELLED -> EventType.TASK_CANCELLED;
            default -> throw new IllegalStateException(this + " is not an end");
        };
    }
}
