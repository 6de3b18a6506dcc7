package dev.myrmex.jmh.core;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.Val;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Heap held per idle actor: {@value #ACTORS} actors are created, each takes one message (so that every one has
 * really started and its mailbox has been used) and then waits; the live heap after full collections, minus the live
 * heap before, divided by the number of actors, is the secondary result {@code bytesPerActor}. The primary score is
 * the time to create them all and see each take its message. Everything the actor holds counts, its name included.
 * Run with more forks ({@code -f 3}) for a spread; the figure varies by a few bytes between forks.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 1) // JMH sums an EVENTS counter over iterations: one iteration reports the value itself
@Fork(value = 1, jvmArgsAppend = "-Xmx8g")
public class IdleHeapBenchmark {
    static final int ACTORS = 1_000_000;

    @Param({"MYRMEX", "MYRMEX_HANDLER", "MYRMEX_TURNS", "PEKKO", "VT_QUEUE", "VT_JOX"})
    public ActorKind impl;

    record Hello() implements Val {
    }

    private static final Hello HELLO = new Hello();

    /** The secondary result, reported per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Footprint {
        public long bytesPerActor;
    }

    private AgentRuntime rt;
    private ActorSystem system;
    private List<PlainActor<Hello>> plainActors;
    private long heapBefore;

    @Setup(Level.Iteration)
    public void setUp() {
        if (impl.isMyrmex()) {
            rt = AgentRuntime.builder().build();
            rt.start();
        } else if (impl == ActorKind.PEKKO) {
            system = ActorSystem.create("idle");
        } else {
            plainActors = new ArrayList<>(ACTORS); // the list's own 4 B a slot is counted against the baseline
        }
        heapBefore = liveHeap();
    }

    @Benchmark
    public void createIdleActors(Footprint footprint) throws Exception {
        CountDownLatch greeted = new CountDownLatch(ACTORS);
        switch (impl) {
            case MYRMEX, MYRMEX_HANDLER, MYRMEX_TURNS -> {
                Behavior<Hello> behavior = impl.behavior((ctx, m) -> greeted.countDown());
                for (int i = 0; i < ACTORS; i++) {
                    rt.spawn("idle-" + i, behavior).ref().signal(HELLO);
                }
            }
            case PEKKO -> {
                Props props = Props.create(PekkoSystems.FnActor.class,
                        () -> new PekkoSystems.FnActor((self, m) -> greeted.countDown()));
                for (int i = 0; i < ACTORS; i++) {
                    system.actorOf(props).tell(HELLO, ActorRef.noSender());
                }
            }
            case VT_QUEUE, VT_JOX -> {
                for (int i = 0; i < ACTORS; i++) {
                    PlainActor<Hello> q = impl.plainActor((self, m) -> greeted.countDown());
                    q.tell(HELLO);
                    plainActors.add(q);
                }
            }
        }
        if (!greeted.await(300, TimeUnit.SECONDS)) {
            throw new IllegalStateException(greeted.getCount() + " actors never took their message");
        }
        footprint.bytesPerActor = (liveHeap() - heapBefore) / ACTORS;
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws InterruptedException {
        if (rt != null) {
            rt.stop(java.time.Duration.ofSeconds(120));
            rt = null;
        }
        if (system != null) {
            PekkoSystems.terminate(system);
            system = null;
        }
        if (plainActors != null) {
            for (PlainActor<Hello> q : plainActors) {
                q.stop();
            }
            for (PlainActor<Hello> q : plainActors) {
                q.join();
            }
            plainActors = null;
        }
    }

    /** Heap in use after full collections: what is reachable. */
    private static long liveHeap() {
        Runtime r = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return r.totalMemory() - r.freeMemory();
    }
}
