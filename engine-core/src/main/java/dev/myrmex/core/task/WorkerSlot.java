package dev.myrmex.core.task;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.Iso;
import java.util.Set;

/** A worker agent as the queue sees it. Guarded by the queue's lock, except {@link #ref} (set by the agent before it
 * tells the queue it is ready). */
final class WorkerSlot {
    final String agent;
    final Set<String> names; // empty: any task
    volatile AgentRef<Iso<TaskAttempt>> ref;
    boolean idle;
    TaskAttempt current; // given to it and not yet ended, or null

    WorkerSlot(String agent, Set<String> names) {
        this.agent = agent;
        this.names = names;
    }
}
