package dev.myrmex.core.task;

import dev.myrmex.core.Val;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One attempt of a task: what its worker runs, on a thread of its own. The attempt thread completes {@link #outcome};
 * the worker agent waits on it (with the task's timeout); a cancel completes it first, abandons the attempt and
 * interrupts its thread. Progress and output go to the queue, which ignores them once the attempt is abandoned.
 *
 * <p><b>The thread's end.</b> Whatever the outcome, the worker agent then waits for the attempt's thread to return
 * before it takes another attempt (so one worker never runs two at once). Who saw the end first is settled by one
 * compare-and-set on {@link #threadState}: the thread, as it returns, moves it {@code RUNNING -> RETURNED}; the worker,
 * once the grace after the interrupt has passed, moves it {@code RUNNING -> STUCK} (only inside
 * {@link StuckWorkers#declare}, which registers the stuck worker under the same lock). Exactly one of the two wins:
 * if the worker did, the thread's late return is counted by {@link StuckWorkers#lateReturn} and its outcome is ignored.
 */
final class TaskAttempt implements TaskContext {
    static final int RUNNING = 0;
    static final int RETURNED = 1;
    static final int STUCK = 2;

    final TaskQueue queue;
    final TaskEntry entry;
    final int number;
    final String worker;
    final CompletableFuture<Val> outcome = new CompletableFuture<>();
    volatile Thread thread; // set before the thread starts
    volatile boolean abandoned;
    /** RUNNING, then RETURNED (written by the attempt's thread) or STUCK (by its worker agent): see the class doc. */
    final AtomicInteger threadState = new AtomicInteger(RUNNING);

    TaskAttempt(TaskQueue queue, TaskEntry entry, int number, String worker) {
        this.queue = queue;
        this.entry = entry;
        this.number = number;
        this.worker = worker;
    }

    /** Gives up on the attempt: its result will be ignored and its thread is interrupted. */
    void abandon() {
        abandoned = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Called by the attempt's thread as it returns: false if its worker had given up on it (it is late). */
    boolean threadReturned() {
        return threadState.compareAndSet(RUNNING, RETURNED);
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
    public String worker() {
        return worker;
    }

    @Override
    public void progress(String stage, int percent, String message) {
        queue.progress(this, new TaskProgress(stage, percent, Objects.requireNonNull(message, "message"), number,
                queue.now()));
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
