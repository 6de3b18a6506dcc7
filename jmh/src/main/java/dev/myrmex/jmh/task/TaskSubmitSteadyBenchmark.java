package dev.myrmex.jmh.task;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.task.TaskId;
import dev.myrmex.core.task.TaskRequest;
import dev.myrmex.core.task.TaskSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Submit latency in steady state (goal: p95 under 20 microseconds): batches of {@value #BATCH} submits, each one timed
 * on its own into a histogram, then the batch awaited, so the queue never holds more than a batch (unlike
 * {@link TaskSubmitLatencyBenchmark}, whose back-to-back submits outpace the workers and grow the queue by millions).
 * Two worker agents run the tasks meanwhile, so submits contend with takes and completions. The JMH score is the
 * time per task, submit to completion; the submit percentiles of the measured iterations are printed at the end of
 * each fork ({@code submit latency ...}). Baseline in the same run: the JDK's fixed pool of two threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "-Xmx4g")
public class TaskSubmitSteadyBenchmark {
    static final int BATCH = 1000;
    private static final Duration WAIT = Duration.ofMinutes(1);

    @Param({"MYRMEX", "JDK_POOL"})
    public String impl;

    private AgentRuntime rt;
    private ExecutorService pool;
    private final Histogram submits = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    private boolean measuring;
    private final List<TaskId> ids = new ArrayList<>(BATCH);
    private final List<Future<?>> futures = new ArrayList<>(BATCH);

    @Setup(Level.Trial)
    public void setUp() {
        if (impl.equals("MYRMEX")) {
            rt = AgentRuntime.builder().tasks(TaskSettings.DEFAULTS.withRetention(BATCH)).build();
            rt.start();
            for (int i = 0; i < 2; i++) {
                rt.tasks().spawnWorker("worker-" + i, Set.of(), task -> null);
            }
        } else if (impl.equals("JDK_POOL")) {
            pool = Executors.newFixedThreadPool(2);
        } else {
            throw new IllegalArgumentException("impl is MYRMEX or JDK_POOL, not " + impl);
        }
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        measuring = params.getType() == IterationType.MEASUREMENT;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.printf("%nsubmit latency %s (%d submits in steady batches): p50 %.2f us, p90 %.2f us, p95 %.2f us,"
                        + " p99 %.2f us, p99.9 %.2f us, max %.1f us%n", impl, submits.getTotalCount(),
                us(50), us(90), us(95), us(99), us(99.9), submits.getMaxValue() / 1000.0);
        if (rt != null) {
            rt.close();
        }
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private double us(double percentile) {
        return submits.getValueAtPercentile(percentile) / 1000.0;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int batch() throws Exception {
        if (rt != null) {
            ids.clear();
            for (int i = 0; i < BATCH; i++) {
                long t0 = System.nanoTime();
                ids.add(rt.tasks().submit(new TaskRequest("trivial", null, 50, List.of(), null, 0, null, List.of())));
                record(System.nanoTime() - t0);
            }
            for (TaskId id : ids) {
                rt.tasks().await(id, WAIT);
            }
            return ids.size();
        }
        futures.clear();
        for (int i = 0; i < BATCH; i++) {
            long t0 = System.nanoTime();
            futures.add(pool.submit(() -> { }));
            record(System.nanoTime() - t0);
        }
        for (Future<?> f : futures) {
            f.get();
        }
        return futures.size();
    }

    private void record(long nanos) {
        if (measuring) {
            submits.recordValue(Math.min(nanos, submits.getHighestTrackableValue()));
        }
    }
}
