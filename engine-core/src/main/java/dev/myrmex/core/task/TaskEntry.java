package dev.myrmex.core.task;

import dev.myrmex.core.Val;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One task's mutable state. Guarded by its {@link TaskQueue}'s lock, except {@link #done} (a future). */
final class TaskEntry {
    final TaskId id;
    TaskRequest request; // its input let go once the task has ended and the queue's input budget is spent
    final List<TaskId> dependencies; // resolved: by id and by batch key
    final Instant submittedAt;
    final int inputBytes; // the input's size as its codec encoded it (0: none, or not encodable)
    boolean inputForgotten;
    /** Completed with the final snapshot when the task ends: what {@link TaskQueue#await} waits on. */
    final CompletableFuture<TaskInfo> done = new CompletableFuture<>();

    TaskStatus status = TaskStatus.PENDING;
    String reason = "";
    int attempts;
    String worker;
    Val result;
    private StringBuilder output; // made on the first line written: most tasks write none
    String error = "";
    final List<TaskProgress> progress = new ArrayList<>();
    Instant startedAt;
    Instant finishedAt;

    int unmet; // dependencies not yet succeeded
    List<TaskEntry> dependents; // tasks waiting for this one, or null
    boolean ready; // in its name's ready queue (lazily removed when no longer)
    TaskAttempt attempt; // the running attempt, or null

    TaskEntry(TaskId id, TaskRequest request, List<TaskId> dependencies, Instant submittedAt, int inputBytes) {
        this.id = id;
        this.request = request;
        this.dependencies = List.copyOf(dependencies);
        this.submittedAt = submittedAt;
        this.inputBytes = inputBytes;
    }

    /** Whether it still holds an input that counts against the queue's retained input bytes. */
    boolean holdsInput() {
        return inputBytes > 0 && !inputForgotten;
    }

    /** Lets the input go: the record stays, the journal keeps the input. */
    void forgetInput() {
        request = request.withInput(null);
        inputForgotten = true;
    }

    StringBuilder output() {
        if (output == null) {
            output = new StringBuilder();
        }
        return output;
    }

    void addDependent(TaskEntry t) {
        if (dependents == null) {
            dependents = new ArrayList<>(2);
        }
        dependents.add(t);
    }

    TaskInfo info() {
        return new TaskInfo(id, request, dependencies, status, reason, attempts, worker, result,
                output == null ? "" : output.toString(), error, progress, submittedAt, startedAt, finishedAt,
                inputForgotten);
    }
}
