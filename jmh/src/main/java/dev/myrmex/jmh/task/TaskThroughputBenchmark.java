package dev.myrmex.jmh.task;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.task.TaskId;
import dev.myrmex.core.task.TaskInfo;
import dev.myrmex.core.task.TaskRequest;
import dev.myrmex.core.task.TaskSettings;
import dev.myrmex.core.task.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Submit-to-completion throughput of trivial tasks (goal: at least 100,000 tasks per second): one thread submits
 * {@value #BATCH} tasks one by one, then awaits each; {@code workers} worker agents run them. The score is tasks per
 * second. Baseline in the same run: the JDK's fixed thread pool with as many threads, the same number of trivial
 * {@code CompletableFuture.runAsync} tasks submitted and joined (no priorities, dependencies, retries, progress or
 * journal: the floor of what a task costs on the JVM).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "-Xmx4g")
public class TaskThroughputBenchmark {
    static final int BATCH = 10_000;
    private static final Duration WAIT = Duration.ofMinutes(1);

    @Param({"MYRMEX", "JDK_POOL"})
    public String impl;

    @Param({"2", "8"})
    public int workers;

    private AgentRuntime rt;
    private ExecutorService pool;
    private final List<TaskId> ids = new ArrayList<>(BATCH);
    private final List<CompletableFuture<Void>> futures = new ArrayList<>(BATCH);

    @Setup(Level.Trial)
    public void setUp() {
        if (impl.equals("MYRMEX")) {
            rt = AgentRuntime.builder().tasks(TaskSettings.DEFAULTS.withCapacity(BATCH * 2).withRetention(BATCH))
                    .build();
            rt.start();
            for (int i = 0; i < workers; i++) {
                rt.tasks().spawnWorker("worker-" + i, java.util.Set.of(), task -> null);
            }
        } else if (impl.equals("JDK_POOL")) {
            pool = Executors.newFixedThreadPool(workers);
        } else {
            throw new IllegalArgumentException("impl is MYRMEX or JDK_POOL, not " + impl);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (rt != null) {
            rt.close();
        }
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int submitAndComplete() throws Exception {
        if (rt != null) {
            ids.clear();
            for (int i = 0; i < BATCH; i++) {
                ids.add(rt.tasks().submit(new TaskRequest("trivial", null, 50, List.of(), null, 0, null, List.of())));
            }
            int ok = 0;
            for (TaskId id : ids) {
                TaskInfo t = rt.tasks().await(id, WAIT);
                ok += t.status() == TaskStatus.SUCCEEDED ? 1 : 0;
            }
            if (ok != BATCH) {
                throw new IllegalStateException((BATCH - ok) + " tasks did not succeed");
            }
            return ok;
        }
        futures.clear();
        for (int i = 0; i < BATCH; i++) {
            futures.add(CompletableFuture.runAsync(() -> { }, pool));
        }
        for (CompletableFuture<Void> f : futures) {
            f.join();
        }
        return futures.size();
    }
}
