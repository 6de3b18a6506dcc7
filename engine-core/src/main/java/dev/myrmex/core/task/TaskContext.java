package dev.myrmex.core.task;

import dev.myrmex.core.Val;

/** What a {@link TaskWorker} gets for one attempt: the task, and where to report progress and output. */
public interface TaskContext {
    TaskId id();

    /** The task's name. */
    String name();

    /** The task's input, or null. */
    Val input();

    /** This attempt's number, from 1. */
    int attempt();

    /** The worker agent running this attempt (its name). */
    String worker();

    /** Reports reaching a default stage. */
    default void progress(TaskStage stage) {
        progress(stage.name(), stage.percent(), "");
    }

    /** Reports reaching a default stage, with a message. */
    default void progress(TaskStage stage, String message) {
        progress(stage.name(), stage.percent(), message);
    }

    /**
     * Reports progress: a stage name, 0 to 100 percent, and a message.
     *
     * @throws IllegalArgumentException if the percent is out of range or the stage blank
     */
    void progress(String stage, int percent, String message);

    /** Appends a line to the task's output. */
    void output(String line);

    /** Whether the task was cancelled or timed out: the attempt's result will be ignored. */
    boolean isAbandoned();
}
