package dev.myrmex.core.task;

/** No task has this id in the runtime: it was never submitted, or it finished long enough ago to be forgotten. */
public final class NoSuchTaskException extends RuntimeException {
    private final TaskId id;

    public NoSuchTaskException(TaskId id) {
        super("no task " + id + " (never submitted, or finished and forgotten)");
        this.id = id;
    }

    public TaskId id() {
        return id;
    }
}
