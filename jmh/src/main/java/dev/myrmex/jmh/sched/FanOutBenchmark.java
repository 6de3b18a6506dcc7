package dev.myrmex.jmh.sched;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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
 * Fan-out: one virtual thread wakes {@value #FAN} parked virtual threads and waits until every one of them has run
 * (the last to run wakes it). One op is one whole round; reported in microseconds. Exercises displacement from the
 * LIFO slot, local-queue overflow into the global queue, wake-ups of idle workers, and stealing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class FanOutBenchmark {
    static final int FAN = 1000;

    @Param({"MYRMEX", "JDK"})
    public SchedulerKind scheduler;

    private SchedulerKind.Instance instance;
    private final Thread[] waiters = new Thread[FAN];
    private Thread coordinator;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long round;
    private volatile boolean go;
    private volatile boolean roundDone;
    private volatile boolean stop;
    private volatile Thread driver;

    @Setup(Level.Trial)
    public void setUp() {
        instance = new SchedulerKind.Instance(scheduler);
        for (int i = 0; i < FAN; i++) {
            waiters[i] = instance.threads().start(() -> {
                long seen = 0;
                while (true) {
                    while (round == seen) {
                        LockSupport.park();
                    }
                    seen = round;
                    if (stop) {
                        return;
                    }
                    if (pending.decrementAndGet() == 0) {
                        LockSupport.unpark(coordinator);
                    }
                }
            });
        }
        coordinator = instance.threads().start(() -> {
            while (true) {
                while (!go) {
                    LockSupport.park();
                }
                go = false;
                if (stop) {
                    return;
                }
                pending.set(FAN);
                round++;
                for (Thread w : waiters) {
                    LockSupport.unpark(w);
                }
                while (pending.get() != 0) {
                    LockSupport.park();
                }
                roundDone = true;
                LockSupport.unpark(driver);
            }
        });
    }

    @Benchmark
    public void wakeAllAndWait() {
        driver = Thread.currentThread();
        roundDone = false;
        go = true;
        LockSupport.unpark(coordinator);
        while (!roundDone) {
            LockSupport.park(this);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        stop = true;
        round++;
        for (Thread w : waiters) {
            LockSupport.unpark(w);
            w.join();
        }
        go = true;
        LockSupport.unpark(coordinator);
        coordinator.join();
        System.out.println("\n" + instance.stats());
        instance.close();
    }
}
