package dev.myrmex.examples.tasks;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.json.Json;
import dev.myrmex.core.resilience.Backoff;
import dev.myrmex.core.task.QueueStatus;
import dev.myrmex.core.task.TaskId;
import dev.myrmex.core.task.TaskInfo;
import dev.myrmex.core.task.TaskProgress;
import dev.myrmex.core.task.TaskRequest;
import dev.myrmex.core.task.TaskSettings;
import dev.myrmex.core.task.TaskStage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The task queue from Java: a DAG of tasks run by worker agents, with progress, a retry, a timeout and a cascade.
 *
 * <pre>
 * ./myrmex example tasks
 * </pre>
 *
 * Two workers take any task. The DAG: {@code load} (fails its first attempt, succeeds on the retry) feeds
 * {@code clean} and {@code index}, which both feed {@code report} (priority 10, so it goes ahead of anything else
 * ready). Beside it, {@code slow} runs past its timeout (TIMEOUT), and {@code publish}, which waits for it, never runs
 * (CANCELLED, saying why). Each task reports the default stages; the example prints every run as it ends: status,
 * attempts, worker, stage history, output and result, then the queue's counts.
 */
public final class TaskDagExample {
    private TaskDagExample() {
    }

    public static void main(String[] args) throws Exception {
        AgentRuntime rt = AgentRuntime.builder().workers(2)
                .tasks(TaskSettings.DEFAULTS.withRetryBackoff(Backoff.fixed(Duration.ofMillis(50)))).build();
        rt.start();
        try {
            AtomicInteger loadAttempts = new AtomicInteger();
            Map<String, Integer> rows = new ConcurrentHashMap<>();
            for (String worker : List.of("worker-a", "worker-b")) {
                rt.tasks().spawnWorker(worker, Set.of(), task -> {
                    task.progress(TaskStage.VALIDATING);
                    if (task.name().equals("load") && loadAttempts.incrementAndGet() == 1) {
                        throw new IllegalStateException("the source was not ready yet");
                    }
                    task.progress(TaskStage.LOADING, "reading " + task.input());
                    if (task.name().equals("slow")) {
                        Thread.sleep(10_000); // the demo's stand-in for work that hangs: its timeout interrupts it
                    }
                    task.progress(TaskStage.EXECUTING);
                    int n = rows.merge(task.name(), 1000, Integer::sum);
                    task.output(task.name() + " handled " + n + " rows");
                    task.progress(TaskStage.FINALIZING);
                    task.progress(TaskStage.DONE);
                    return Json.of(Map.of("task", task.name(), "rows", n));
                });
            }
            List<TaskId> dag = rt.tasks().submitAll(List.of(
                    TaskRequest.of("load", Json.of(Map.of("source", "s3://bucket/day-1"))).withKey("load")
                            .withMaxRetries(2),
                    TaskRequest.of("clean", null).withKey("clean").afterKeys("load"),
                    TaskRequest.of("index", null).withKey("index").afterKeys("load"),
                    TaskRequest.of("report", null).withKey("report").afterKeys("clean", "index").withPriority(10)));
            TaskId slow = rt.tasks().submit(TaskRequest.of("slow", null).withTimeout(Duration.ofMillis(300)));
            TaskId publish = rt.tasks().submit(TaskRequest.of("publish", null).after(slow));

            for (TaskId id : List.of(dag.get(0), dag.get(1), dag.get(2), dag.get(3), slow, publish)) {
                print(rt.tasks().await(id, Duration.ofSeconds(30)));
            }
            QueueStatus q = rt.tasks().queueStatus();
            System.out.printf("queue: %d succeeded, %d failed, %d timed out, %d cancelled, %d pending%n", q.succeeded(),
                    q.failed(), q.timedOut(), q.cancelled(), q.pending());
        } finally {
            rt.close();
        }
    }

    private static void print(TaskInfo t) {
        String stages = t.progress().stream().map(TaskProgress::stage).collect(Collectors.joining(" > "));
        System.out.printf("task %s %-7s %-9s attempts %d on %s%s%n", t.id(), t.request().name(), t.status(),
                t.attempts(), t.worker() == null ? "-" : t.worker(), t.reason().isEmpty() ? "" : ": " + t.reason());
        if (!stages.isEmpty()) {
            System.out.println("    stages: " + stages);
        }
        t.output().lines().forEach(line -> System.out.println("    output: " + line));
        if (t.result() != null) {
            System.out.println("    result: " + t.result());
        }
    }
}
