package dev.myrmex.core.task;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.resilience.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Random task graphs with random failures, run by a few workers: every task ends in exactly one final status, the one
 * a model of the rules predicts (it succeeds iff its dependencies did and one of its allowed attempts did; it fails
 * if every allowed attempt failed; it is cancelled without running if a dependency did not succeed); no attempt
 * starts before every dependency has succeeded; no task is attempted more than maxRetries + 1 times.
 */
class TaskQueuePropertyTest {

    @Test
    void everyTaskEndsOnceAsTheRulesSayAndNeverRunsEarly() {
        // a random DAG of up to 30 tasks on 1-4 workers: 100 examples
        qt().withExamples(100).withShrinkCycles(5)
                .forAll(integers().between(1, 30), integers().between(1, 4), longs().all())
                .checkAssert(this::run);
    }

    private void run(int n, int workers, long seed) {
        RandomDag dag = RandomDag.of(n, new SplittableRandom(seed), 5);
        List<List<Integer>> deps = dag.deps();
        int[] maxRetries = dag.maxRetries();
        List<String> violations = new CopyOnWriteArrayList<>();
        Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();
        try (AgentRuntime rt = AgentRuntime.builder().workers(2)
                .tasks(TaskSettings.DEFAULTS.withRetryBackoff(Backoff.fixed(Duration.ofMillis(1)))).build()) {
            rt.start();
            List<TaskId> ids = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                rt.tasks().spawnWorker("w" + w, Set.of(), task -> {
                    int i = (int) task.id().value() - 1;
                    attempts.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet();
                    for (int d : deps.get(i)) {
                        TaskStatus s = rt.tasks().status(ids.get(d)).orElseThrow().status();
                        if (s != TaskStatus.SUCCEEDED) {
                            violations.add("task " + i + " ran while its dependency " + d + " was " + s);
                        }
                    }
                    if (dag.fails(i, task.attempt())) {
                        throw new IllegalStateException("planned failure");
                    }
                    return null;
                });
            }
            rt.tasks().pause(); // the ids list must be complete before a worker reads it
            for (int i = 0; i < n; i++) {
                TaskRequest r = TaskRequest.of("t", null).withMaxRetries(maxRetries[i]);
                for (int d : deps.get(i)) {
                    r = r.after(ids.get(d));
                }
                ids.add(rt.tasks().submit(r));
            }
            rt.tasks().resume();
            TaskStatus[] expected = dag.expected();
            for (int i = 0; i < n; i++) {
                TaskInfo info = rt.tasks().await(ids.get(i), WATCHDOG);
                assertEquals(expected[i], info.status(), "task " + i + ": " + info.reason());
                int ran = attempts.getOrDefault(i, new AtomicInteger()).get();
                assertEquals(info.attempts(), ran, "task " + i + " attempts");
                assertTrue(ran <= maxRetries[i] + 1, "task " + i + " ran " + ran + " times, maxRetries "
                        + maxRetries[i]);
            }
            assertEquals(List.of(), violations);
            QueueStatus q = rt.tasks().queueStatus();
            assertEquals(0, q.pending() + q.running());
            assertEquals(n, q.succeeded() + q.failed() + q.cancelled() + q.timedOut(), "each ended exactly once");
            for (int i = 0; i < n; i++) {
                assertEquals(expected[i], rt.tasks().status(ids.get(i)).orElseThrow().status(), "a final status stays");
            }
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
    }
}
