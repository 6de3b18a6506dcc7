package dev.myrmex.jmh.sched;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * Ping-pong: two virtual threads hand a turn back and forth with {@code LockSupport.unpark}/{@code park}; one hop
 * is "A makes B runnable and parks, B runs". Reported as ns per hop. The benchmark thread starts a batch of
 * {@value #HOPS} hops and waits for its end, so its own hand-offs cost under 0.1% of the figure.
 *
 * <p>On the JDK's default scheduler the woken thread goes to the tail of the waker's queue and an idle carrier is
 * signalled to steal it, so the pair migrates between cores. On Myrmex it goes to the waker's LIFO slot and runs next
 * on the same carrier. Compare with {@link ContinuationFloorBenchmark}, the cost of a bare mount-and-yield, and with
 * {@code SINGLE_CARRIER}, the thinnest executor that can carry virtual threads: the gap between those two is the
 * JDK's own park/unpark machinery, which no scheduler can remove.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class PingPongBenchmark {
    static final int HOPS = 20_000;

    @Param({"MYRMEX", "JDK", "SINGLE_CARRIER"})
    public SchedulerKind scheduler;

    private SchedulerKind.Instance instance;
    private Player ping;
    private Player pong;
    private volatile Thread driver;
    private volatile boolean batchDone;

    /** One side of the pair. {@code turn} is set by the partner before it unparks this thread. */
    final class Player implements Runnable {
        volatile boolean turn;
        volatile boolean stop;
        Player partner;
        Thread thread;
        int remaining; // only the thread holding the turn touches it (handed over with the turn's volatile write)

        @Override
        public void run() {
            while (true) {
                while (!turn) {
                    LockSupport.park(this);
                }
                turn = false;
                if (stop) {
                    return;
                }
                if (--remaining < 0) {
                    batchDone = true;
                    LockSupport.unpark(driver);
                    continue;
                }
                partner.remaining = remaining;
                partner.turn = true;
                LockSupport.unpark(partner.thread);
            }
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        instance = new SchedulerKind.Instance(scheduler);
        ping = new Player();
        pong = new Player();
        ping.partner = pong;
        pong.partner = ping;
        ping.thread = instance.threads().name("ping").start(ping);
        pong.thread = instance.threads().name("pong").start(pong);
    }

    @Benchmark
    @OperationsPerInvocation(HOPS)
    public void hop() {
        driver = Thread.currentThread();
        batchDone = false;
        ping.remaining = HOPS;
        ping.turn = true;
        LockSupport.unpark(ping.thread);
        while (!batchDone) {
            LockSupport.park(this);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        for (Player p : new Player[] {ping, pong}) {
            p.stop = true;
            p.turn = true;
            LockSupport.unpark(p.thread);
            p.thread.join();
        }
        System.out.println("\n" + instance.stats());
        instance.close();
    }
}
