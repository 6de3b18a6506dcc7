package dev.myrmex.jmh.core;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.Val;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.Props;
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
 * Savina's fork-join creation: the benchmark thread creates {@value #ACTORS} actors and sends each one message; an
 * actor does a little computation ({@link Work}) on it and ends. One shot per iteration, until the last has run;
 * reported as time per actor: creation, one delivery, one run and the end.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx8g")
public class ForkJoinCreationBenchmark {
    static final int ACTORS = 1_000_000;

    @Param({"MYRMEX", "MYRMEX_HANDLER", "MYRMEX_TURNS", "PEKKO", "VT_QUEUE", "VT_JOX"})
    public ActorKind impl;

    record Job() implements Val {
    }

    private static final Job JOB = new Job();

    private volatile CountDownLatch allDone;
    private Engines engines;
    private String[] names;

    @Setup(Level.Trial)
    public void setUp() {
        engines = Engines.start(impl, "fjcreate");
        if (impl.isMyrmex()) {
            names = new String[ACTORS]; // made up front: the agents' names are not what is measured
            for (int i = 0; i < ACTORS; i++) {
                names[i] = "fj-" + i;
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(ACTORS)
    public void create() throws Exception {
        CountDownLatch done = new CountDownLatch(ACTORS);
        allDone = done;
        switch (impl) {
            case MYRMEX, MYRMEX_HANDLER, MYRMEX_TURNS -> {
                Behavior<Job> behavior = impl.behavior((ctx, m) -> {
                    Work.perform();
                    allDone.countDown();
                    ctx.stopSelf();
                });
                for (int i = 0; i < ACTORS; i++) {
                    engines.myrmex().spawn(names[i], behavior).ref().signal(JOB);
                }
            }
            case PEKKO -> {
                BiConsumer<PekkoSystems.FnActor, Object> handler = (self, m) -> {
                    Work.perform();
                    allDone.countDown();
                    self.stopSelf();
                };
                Props props = Props.create(PekkoSystems.FnActor.class, () -> new PekkoSystems.FnActor(handler));
                for (int i = 0; i < ACTORS; i++) {
                    engines.pekko().actorOf(props).tell(JOB, org.apache.pekko.actor.ActorRef.noSender());
                }
            }
            case VT_QUEUE, VT_JOX -> {
                for (int i = 0; i < ACTORS; i++) {
                    impl.<Job>plainActor((self, m) -> {
                        Work.perform();
                        allDone.countDown();
                        self.stop();
                    }).tell(JOB);
                }
            }
        }
        if (!done.await(300, TimeUnit.SECONDS)) {
            throw new IllegalStateException(done.getCount() + " actors never ran");
        }
    }

    /** Between shots: wait until every actor of the last one has ended, so names and memory are free again. */
    @TearDown(Level.Iteration)
    public void awaitEnds() throws InterruptedException {
        AgentRuntime rt = engines.myrmex();
        if (rt != null) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (rt.agentCount() > 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(rt.agentCount() + " agents never ended");
                }
                Thread.sleep(1); // outside the measurement: a benchmark's housekeeping, not a test
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engines.close();
    }
}
