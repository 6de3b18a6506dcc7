package dev.myrmex.jmh.task;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.json.Json;
import dev.myrmex.core.task.TaskId;
import dev.myrmex.core.task.TaskRequest;
import dev.myrmex.core.task.TaskSettings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Submit latency (goal: p95 under 20 microseconds): the caller's time in {@code tasks().submit} for a trivial task,
 * with two worker agents draining the queue meanwhile (so the submit contends with their takes and completions, as in
 * use), input none or a small {@link Json} object (journalled in full). JMH's sample mode gives the percentiles.
 * Baseline in the same run: submitting a trivial task to the JDK's fixed thread pool of two threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "-Xmx4g")
public class TaskSubmitLatencyBenchmark {
    @Param({"MYRMEX", "MYRMEX_JSON_INPUT", "JDK_POOL"})
    public String impl;

    private static final Json INPUT = Json.of(Map.of("url", "s3://bucket/2026-11-21/part-0001", "width", 800,
            "tags", List.of("a", "b")));

    private AgentRuntime rt;
    private ExecutorService pool;
    private Json input;

    /** A fresh runtime per iteration: submits outpace the workers, so the queue grows within one. */
    @Setup(Level.Iteration)
    public void setUp() {
        if (impl.equals("JDK_POOL")) {
            pool = Executors.newFixedThreadPool(2);
            return;
        }
        if (!impl.startsWith("MYRMEX")) {
            throw new IllegalArgumentException("impl is MYRMEX, MYRMEX_JSON_INPUT or JDK_POOL, not " + impl);
        }
        input = impl.equals("MYRMEX_JSON_INPUT") ? INPUT : null;
        rt = AgentRuntime.builder().tasks(TaskSettings.DEFAULTS.withCapacity(20_000_000).withRetention(1000)).build();
        rt.start();
        for (int i = 0; i < 2; i++) {
            rt.tasks().spawnWorker("worker-" + i, Set.of(), task -> null);
        }
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws InterruptedException {
        if (rt != null) {
            rt.stopNow(java.time.Duration.ofSeconds(30));
            rt = null;
        }
        if (pool != null) {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
            pool = null;
        }
    }

    @Benchmark
    public Object submit() {
        if (rt != null) {
            TaskId id = rt.tasks().submit(new TaskRequest("trivial", input, 50, List.of(), null, 0, null, List.of()));
            return id;
        }
        Future<?> f = pool.submit(() -> { });
        return f;
    }
}
