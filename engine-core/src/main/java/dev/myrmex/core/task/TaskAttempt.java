package dev.myrmex.core.task;

import dev.myrmex.core.Val;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One attempt of a task: what its worker runs, on a thread of its own. The attempt thread completes {@link #outcome};
 * the worker agent waits on it (with the task's timeout); a cancel completes it first, abandons the attempt and
 * interrupts its thread. Progress and output go to the queue, which ignores them once the attempt is abandoned.
 */
final class TaskAttempt implements TaskContext {
    final TaskQueue queue;
    final TaskEntry entry;
    final int number;
    final CompletableFuture<Val> outcome = new CompletableFuture<>();
    volatile Thread thread; // set before the thread starts
    volatile boolean abandoned;

    TaskAttempt(TaskQueue queue, TaskEntry entry, int number) {
        this.queue = queue;
        this.entry = entry;
        this.number = number;
    }

    /** Gives up on the attempt: its result will be ignored and its thread is interrupted. */
    void abandon() {
        abandoned = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public TaskId id() {
        return entry.id;
    }

    @Override
    public String name() {
        return entry.request.name();
    }

    @Override
    public Val input() {
        return entry.request.input();
    }

    @Override
    public int attempt() {
        return number;
    }

    @Override
    public void progress(String stage, int percent, String message) {
        queue.progress(this, new TaskProgress(stage, percent, Objects.requireNonNull(message, "message"), number,
                Instant.now()));
    }

    @Override
    public void output(String line) {
        queue.output(this, Objects.requireNonNull(line, "line"));
    }

    @Override
    public boolean isAbandoned() {
        return abandoned;
    }
}
