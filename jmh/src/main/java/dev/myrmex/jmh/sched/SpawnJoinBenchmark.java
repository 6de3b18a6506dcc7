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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Spawn and join: a virtual thread on the scheduler under test starts {@value #THREADS} virtual threads, then joins
 * them all, as an agent spawning agents would. Reported as ns per thread (start, run, end, join).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class SpawnJoinBenchmark {
    static final int THREADS = 100_000;

    @Param({"MYRMEX", "JDK"})
    public SchedulerKind scheduler;

    private SchedulerKind.Instance instance;
    private final Thread[] threads = new Thread[THREADS];

    @Setup(Level.Trial)
    public void setUp() {
        instance = new SchedulerKind.Instance(scheduler);
    }

    @Benchmark
    @OperationsPerInvocation(THREADS)
    public void spawnAndJoin(Blackhole bh) throws InterruptedException {
        Thread spawner = instance.threads().start(() -> {
            Thread.Builder.OfVirtual b = instance.threads();
            for (int i = 0; i < THREADS; i++) {
                int n = i;
                threads[i] = b.start(() -> bh.consume(n));
            }
            try {
                for (Thread t : threads) {
                    t.join();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        spawner.join();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println("\n" + instance.stats());
        instance.close();
    }
}
