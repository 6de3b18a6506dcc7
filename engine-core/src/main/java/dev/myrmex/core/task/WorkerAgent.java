package dev.myrmex.core.task;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.DirectContext;
import dev.myrmex.core.Iso;
import dev.myrmex.core.Val;
import dev.myrmex.core.internal.CoreAccess;
import dev.myrmex.core.internal.TimeoutWheel;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;

/**
 * The behavior of a worker agent: tells the queue it is ready, takes the attempt the queue sends, runs it on a virtual
 * thread of its own (carried by the runtime's scheduler) and waits for it (up to the task's timeout, or until a cancel
 * releases it), reports, waits for the attempt's thread to return, and is ready again. Stopping the agent gracefully
 * lets the current attempt finish; when the agent ends for any reason, what it was given goes back to the queue.
 *
 * <p><b>One attempt at a time.</b> The agent is offered a new attempt only once the last one's thread has returned,
 * whatever ended the task (a result, a failure, its timeout, a cancel). A thread that was interrupted (timeout or
 * cancel) gets the queue's interrupt grace to return; if it has not by then, the worker is declared stuck
 * ({@link TaskQueue#workerStuck}): replaced by a fresh agent for the same task names, while this agent waits for the
 * abandoned thread, whose outcome is ignored and counted as late, and then ends.
 */
final class WorkerAgent implements Behavior<Iso<TaskAttempt>> {
    private final TaskQueue queue;
    private final WorkerSlot slot;

    WorkerAgent(TaskQueue queue, WorkerSlot slot) {
        this.queue = queue;
        this.slot = slot;
    }

    @Override
    public void run(DirectContext<Iso<TaskAttempt>> ctx) throws Exception {
        slot.ref = ctx.self(); // before the queue can give it anything
        try {
            queue.workerReady(slot);
            while (true) {
                TaskAttempt a = ctx.receive().payload().get();
                if (!runAttempt(a, ctx.runtime())) {
                    a.thread.join(); // stuck and replaced: this agent's end is the abandoned thread's end
                    return;
                }
                queue.workerReady(slot);
            }
        } finally {
            queue.workerGone(slot);
        }
    }

    /** Runs {@code a} until its thread returns: true, or false if the worker was declared stuck on it. */
    private boolean runAttempt(TaskAttempt a, AgentRuntime runtime) throws InterruptedException {
        TaskWorker worker = slot.worker;
        Thread.Builder.OfVirtual threads = runtime.scheduler().threadBuilder(); // carried like every agent
        Thread t = threads.name("task-" + a.entry.id + "-attempt-" + a.number).unstarted(() -> {
            try {
                a.outcome.complete(worker.run(a));
            } catch (Throwable e) {
                a.outcome.completeExceptionally(e);
            } finally {
                if (!a.threadReturned()) { // its worker gave up on it: nobody reads this outcome
                    queue.lateReturn(a);
                }
            }
        });
        a.thread = t;
        if (a.abandoned) { // cancelled before it started
            return true;
        }
        Duration timeout = a.entry.request.timeout();
        // The timeout runs on the runtime's timer, so it follows the runtime's clock (a manual one too). Set before
        // the start: if the runtime is stopping, this throws and the attempt, never started, goes back (finally).
        TimeoutWheel.Timeout expiry = timeout == null ? null : CoreAccess.get().schedule(runtime,
                () -> a.outcome.completeExceptionally(new PastTimeout()), timeout);
        t.start();
        String interrupted = null; // why the thread was interrupted, if it was
        try {
            Val result = a.outcome.get();
            queue.attemptEnded(a, result, null, false);
        } catch (CancellationException e) {
            interrupted = "the task was cancelled"; // the queue has ended the task and interrupted the thread
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PastTimeout) {
                interrupted = "its timeout of " + timeout + " passed";
                queue.attemptEnded(a, null, null, true); // ends the task TIMEOUT and interrupts the thread
            } else {
                queue.attemptEnded(a, null, e.getCause(), false);
            }
        } catch (InterruptedException e) { // the agent is being stopped at once: the attempt goes back (finally)
            a.abandon();
            throw e;
        } finally {
            if (expiry != null) {
                expiry.cancel();
            }
        }
        // The outcome is known; the thread may still run (it ignored the interrupt). Not ready until it returns.
        if (t.join(queue.interruptGrace())) {
            return true;
        }
        if (!queue.workerStuck(slot, a, interrupted == null ? "it had reported its outcome" : interrupted)) {
            t.join(); // it returned just as the grace ran out
            return true;
        }
        return false;
    }

    /** How the timer ends an attempt that ran past its timeout; never seen outside this class. */
    private static final class PastTimeout extends Exception {
        private static final long serialVersionUID = 1L;

        PastTimeout() {
            super("past its timeout", null, false, false);
        }
    }
}
