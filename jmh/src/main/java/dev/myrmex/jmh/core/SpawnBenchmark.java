package dev.myrmex.jmh.core;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.Val;
import dev.myrmex.sched.WorkStealingScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
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
 * Spawn latency: the cost to the caller of creating one actor that then waits for mail, {@value #BATCH} at a time
 * (the actors are stopped between invocations, outside the measurement). Myrmex agents get names made up front;
 * Pekko actors are unnamed (Pekko makes their names); a plain actor is a new queue and a started virtual thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "-Xmx4g")
public class SpawnBenchmark {
    static final int BATCH = 10_000;

    @Param({"MYRMEX", "MYRMEX_HANDLER", "PEKKO", "VT_QUEUE", "VT_JOX"})
    public ActorKind impl;

    record Hello() implements Val {
    }

    private WorkStealingScheduler scheduler;
    private AgentRuntime rt;
    private Behavior<Hello> behavior;
    private final String[] names = new String[BATCH];
    private final List<AgentHandle<Hello>> handles = new ArrayList<>(BATCH);
    private ActorSystem system;
    private Props props;
    private final List<ActorRef> actors = new ArrayList<>(BATCH);
    private final List<PlainActor<Hello>> plainActors = new ArrayList<>(BATCH);

    @Setup(Level.Trial)
    public void setUpTrial() {
        if (impl.isMyrmex()) {
            scheduler = WorkStealingScheduler.builder().name("spawn-bench").build();
            behavior = impl.behavior((ctx, m) -> { });
            for (int i = 0; i < BATCH; i++) {
                names[i] = "a-" + i;
            }
        } else if (impl == ActorKind.PEKKO) {
            system = ActorSystem.create("spawn");
            props = Props.create(PekkoSystems.FnActor.class, () -> new PekkoSystems.FnActor((self, m) -> { }));
        }
    }

    @Setup(Level.Invocation)
    public void setUpInvocation() {
        if (impl.isMyrmex()) {
            rt = AgentRuntime.builder().scheduler(scheduler).build(); // a fresh registry per batch
            rt.start();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void spawn() {
        switch (impl) {
            case MYRMEX, MYRMEX_HANDLER, MYRMEX_TURNS -> {
                for (int i = 0; i < BATCH; i++) {
                    handles.add(rt.spawn(names[i], behavior));
                }
            }
            case PEKKO -> {
                for (int i = 0; i < BATCH; i++) {
                    actors.add(system.actorOf(props));
                }
            }
            case VT_QUEUE, VT_JOX -> {
                for (int i = 0; i < BATCH; i++) {
                    plainActors.add(impl.plainActor((self, m) -> { }));
                }
            }
        }
    }

    @TearDown(Level.Invocation)
    public void stopBatch() throws InterruptedException {
        if (rt != null) {
            if (!rt.stop(Duration.ofSeconds(60))) {
                throw new IllegalStateException("agents did not stop");
            }
            rt = null;
            handles.clear();
        }
        for (ActorRef a : actors) {
            system.stop(a);
        }
        actors.clear();
        for (PlainActor<Hello> q : plainActors) {
            q.stop();
        }
        for (PlainActor<Hello> q : plainActors) {
            q.join();
        }
        plainActors.clear();
    }

    @TearDown(Level.Trial)
    public void tearDownTrial() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (system != null) {
            PekkoSystems.terminate(system);
        }
    }
}
