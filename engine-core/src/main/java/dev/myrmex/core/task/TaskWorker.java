package dev.myrmex.core.task;

import dev.myrmex.core.Val;

/**
 * What a worker agent does with one task attempt. Runs on a thread of its own, which is interrupted when the task is
 * cancelled or runs past its timeout: long work should check {@link Thread#interrupted()} (or block interruptibly).
 * The worker takes no other task until this method returns; if it has not returned within the runtime's
 * {@code taskInterruptGrace} after the interrupt, the worker is declared stuck and replaced, and what it returns later
 * is ignored.
 *
 * <pre>{@code
 * rt.tasks().spawnWorker("resizer", Set.of("resize"), task -> {
 *     task.progress(TaskStage.LOADING);
 *     Image img = load((Source) task.input());
 *     task.progress(TaskStage.EXECUTING);
 *     return resize(img);                   // the task's result (a Val, or null)
 * });
 * }</pre>
 */
@FunctionalInterface
public interface TaskWorker {
    /**
     * Runs one attempt of a task.
     *
     * @return the task's result, or null
     * @throws Exception to fail the attempt (retried if the task allows more attempts)
     */
    Val run(TaskContext task) throws Exception;
}
