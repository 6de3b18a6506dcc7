package dev.myrmex.core.task;

/** A submission would take the task queue past its capacity of pending and running tasks; nothing was submitted. */
public final class QueueFullException extends RuntimeException {
    private final int capacity;

    public QueueFullException(String message, int capacity) {
        super(message);
        this.capacity = capacity;
    }

    /** The queue's capacity. */
    public int capacity() {
        return capacity;
    }
}
