package dev.myrmex.core.task;

import dev.myrmex.core.AgentContext;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.Iso;
import dev.myrmex.core.Val;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The behaviour of a worker agent: tells the queue it is ready, takes the attempt the queue sends, runs it on a virtual
 * thread of its own (carried by the runtime's scheduler) and waits for it (up to the task's timeout, or until a cancel
 * releases it), reports, and is ready again. Stopping the agent gracefully lets the current attempt finish; when the
 * agent ends for any reason, what it was given goes back to the queue.
 */
final class WorkerAgent implements Behavior<Iso<TaskAttempt>> {
    private final TaskQueue queue;
    private final WorkerSlot slot;
    private final TaskWorker worker;

    WorkerAgent(TaskQueue queue, WorkerSlot slot, TaskWorker worker) {
        this.queue = queue;
        this.slot = slot;
        this.worker = worker;
    }

    @Override
    public void run(AgentContext<Iso<TaskAttempt>> ctx) throws Exception {
        slot.ref = ctx.self(); // before the queue can give it anything
        try {
            queue.workerReady(slot);
            while (true) {
                TaskAttempt a = ctx.receive().payload().get();
                runAttempt(a, ctx.runtime().scheduler().threadBuilder()); // carried like every agent
                queue.workerReady(slot);
            }
        } finally {
            queue.workerGone(slot);
        }
    }

    private void runAttempt(TaskAttempt a, Thread.Builder.OfVirtual threads) throws InterruptedException {
        Thread t = threads.name("task-" + a.entry.id + "-attempt-" + a.number).unstarted(() -> {
            try {
                a.outcome.complete(worker.run(a));
            } catch (Throwable e) {
                a.outcome.completeExceptionally(e);
            }
        });
        a.thread = t;
        if (a.abandoned) { // cancelled before it started
            return;
        }
        t.start();
        Duration timeout = a.entry.request.timeout();
        try {
            Val result = timeout == null ? a.outcome.get() : a.outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            queue.attemptEnded(a, result, null, false);
        } catch (TimeoutException e) {
            a.abandon();
            queue.attemptEnded(a, null, null, true);
        } catch (CancellationException e) {
            // cancelled: the queue has ended the task already
        } catch (ExecutionException e) {
            queue.attemptEnded(a, null, e.getCause(), false);
        } catch (InterruptedException e) { // the agent is being stopped at once: the attempt goes back (finally)
            a.abandon();
            throw e;
        }
    }
}
