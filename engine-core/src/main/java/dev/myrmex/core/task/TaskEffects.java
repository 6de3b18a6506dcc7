package dev.myrmex.core.task;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Iso;
import dev.myrmex.core.internal.CoreAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a move of the {@link TaskQueue} leads to outside its lock, collected under it and run after: journal records
 * first, then signals to workers, completions of awaited futures, timers. One per move; used by one thread.
 *
 * <p>Journalling after the lock keeps the lock short (formatting a submission's record is the costliest step of a
 * submit); so a task's end may reach the journal before its submission does (another worker took and finished it in
 * between), which {@link TaskHistory} reads in either order. A task's own worker is signalled only after its
 * submission is journalled.
 */
final class TaskEffects {
    private final TaskQueue queue;
    private final AgentRuntime runtime;
    private List<Runnable> actions;
    private List<Runnable> journal;

    TaskEffects(TaskQueue queue, AgentRuntime runtime) {
        this.queue = queue;
        this.runtime = runtime;
    }

    private void add(Runnable r) {
        if (actions == null) {
            actions = new ArrayList<>(2);
        }
        actions.add(r);
    }

    /** Journals something, before the other effects run. */
    void journal(Runnable r) {
        if (journal == null) {
            journal = new ArrayList<>(2);
        }
        journal.add(r);
    }

    void assign(WorkerSlot w, TaskAttempt a) {
        add(() -> {
            if (!w.ref.signal(Iso.of(a))) { // the worker's agent is gone
                queue.workerGone(w);
            }
        });
    }

    void release(TaskAttempt a) {
        add(() -> a.outcome.cancel(false)); // frees its worker, which waits on the outcome
    }

    void complete(TaskEntry t) {
        TaskInfo info = t.info();
        add(() -> t.done.complete(info));
    }

    void later(Duration wait, Runnable r) {
        add(() -> CoreAccess.get().schedule(runtime, r, wait));
    }

    void run() {
        if (journal != null) {
            journal.forEach(Runnable::run);
        }
        if (actions != null) {
            actions.forEach(Runnable::run);
        }
    }
}
