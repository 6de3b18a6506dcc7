package dev.myrmex.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.Val;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Once the runtime has begun to stop, no task attempt starts. A stop interrupts the agents one by one; the worker it
 * interrupts first gives its attempt back to the queue, which (before the fix) handed it at once to a worker the stop
 * had not reached yet: a second attempt of a task allowed one, run during the stop (found by
 * {@code TaskRecoveryPropertyTest}, which then saw such a task end SUCCEEDED instead of FAILED).
 */
class TaskStopTest {
    private static final Duration T = Duration.ofSeconds(30);
    /** Agents the stop goes through besides the two workers, so it takes a while from one worker to the other. */
    private static final int BYSTANDERS = 20_000;
    /**
     * Runtimes tried: the stop visits agents in its table's order, so the idle worker comes after the busy one in
     * about half of them; six make missing the race in every one unlikely (1 in 64) without the fix.
     */
    private static final int ROUNDS = 6;

    record Nothing() implements Val {
    }

    @Test
    void anAttemptGivenBackDuringAStopDoesNotStartAgain() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            AgentRuntime rt = AgentRuntime.builder().workers(2).build();
            rt.start();
            AtomicInteger attempts = new AtomicInteger(); // how many the worker function saw
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            TaskWorker worker = task -> {
                if (attempts.incrementAndGet() == 1) {
                    started.countDown();
                    release.await(); // not interrupted by the stop: the worker agent waiting for it is
                }
                return null;
            };
            rt.tasks().spawnWorker("busy-" + round, Set.of(), worker);
            TaskId id = rt.tasks().submit(TaskRequest.of("t", null)); // no retries: one attempt allowed
            started.await();
            for (int i = 0; i < BYSTANDERS; i++) {
                rt.spawn("bystander-" + round + "-" + i, Behaviors.<Nothing>nonBlocking((ctx, m) -> { }));
            }
            rt.tasks().spawnWorker("idle-" + round, Set.of(), worker);
            rt.stopNow(T);
            release.countDown();
            TaskInfo info = rt.tasks().status(id).orElseThrow();
            // the queue counts an attempt when it gives one out, under its lock: no race with the attempt's thread
            assertEquals(1, info.attempts(), "round " + round + ": task " + id + " was given out again during the"
                    + " stop (" + info.status() + ", " + info.reason() + ")");
        }
    }
}
