package dev.myrmex.core.task;

/**
 * A task's identity in its runtime: a positive number, in submission order (a later task has a larger id), printed
 * as the number.
 *
 * @param value the number, at least 1
 */
public record TaskId(long value) implements Comparable<TaskId> {
    public TaskId {
        if (value < 1) {
            throw new IllegalArgumentException("a task id is a positive number: " + value);
        }
    }

    /**
     * The id written as {@code text} (what {@link #toString} gives).
     *
     * @throws IllegalArgumentException if it is not a positive number
     */
    public static TaskId parse(String text) {
        try {
            return new TaskId(Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a task id (a positive number): '" + text + "'", e);
        }
    }

    @Override
    public int compareTo(TaskId o) {
        return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
