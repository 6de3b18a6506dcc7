package dev.myrmex.core.task;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.Iso;
import java.util.Set;

/**
 * A worker agent as the queue sees it. Guarded by the queue's lock, except the final fields and {@link #ref} (set by
 * the agent before it tells the queue it is ready).
 */
final class WorkerSlot {
    final String agent;
    final Set<String> names; // empty: any task
    final TaskWorker worker;
    /** The name given to {@code spawnWorker}: a replacement of a stuck worker is named {@code base~generation}. */
    final String base;
    final int generation; // 0: spawned by the user; n: the n-th replacement's name was tried from here
    volatile AgentRef<Iso<TaskAttempt>> ref;
    boolean idle;
    TaskAttempt current; // given to it and not yet ended, or null

    WorkerSlot(String agent, Set<String> names, TaskWorker worker, String base, int generation) {
        this.agent = agent;
        this.names = names;
        this.worker = worker;
        this.base = base;
        this.generation = generation;
    }
}
