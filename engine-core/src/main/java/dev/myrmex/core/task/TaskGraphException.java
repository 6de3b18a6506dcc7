package dev.myrmex.core.task;

import java.util.Objects;

/**
 * A submission whose dependencies cannot be wired: an unknown task or key, a key used twice, a cycle. The message names
 * the tasks; {@link #problem()} says which of these it is, for callers that answer each differently (the management
 * API's reason codes). Nothing of the submission was queued.
 */
public final class TaskGraphException extends IllegalArgumentException {
    /** What is wrong with the graph. */
    public enum Problem {
        /** A dependency names a task id that is unknown (never submitted, or finished and forgotten). */
        UNKNOWN_TASK,
        /** A request of a batch waits for a key no request of the batch has. */
        UNKNOWN_KEY,
        /** Two requests of a batch have the same key. */
        DUPLICATE_KEY,
        /** The requests of a batch wait for each other in a cycle. */
        CYCLE
    }

    private final Problem problem;

    public TaskGraphException(Problem problem, String message) {
        super(message);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public Problem problem() {
        return problem;
    }
}
