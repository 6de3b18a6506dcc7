package dev.myrmex.jmh.sched;

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
 * A yield-heavy loop: {@value #THREADS} virtual threads each call {@code Thread.yield()} {@value #YIELDS} times.
 * Reported as ns per yield. A yield re-submits from the carrier itself, so it goes to the back of the local queue
 * (never the LIFO slot, or the yielding thread would re-run at once).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class YieldBenchmark {
    static final int THREADS = 4;
    static final int YIELDS = 10_000;

    @Param({"MYRMEX", "JDK"})
    public SchedulerKind scheduler;

    private SchedulerKind.Instance instance;

    @Setup(Level.Trial)
    public void setUp() {
        instance = new SchedulerKind.Instance(scheduler);
    }

    @Benchmark
    @OperationsPerInvocation(THREADS * YIELDS)
    public void yieldLoop() throws InterruptedException {
        Thread[] ts = new Thread[THREADS];
        for (int i = 0; i < THREADS; i++) {
            ts[i] = instance.threads().start(() -> {
                for (int y = 0; y < YIELDS; y++) {
                    Thread.yield();
                }
            });
        }
        for (Thread t : ts) {
            t.join();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println("\n" + instance.stats());
        instance.close();
    }
}
