package dev.myrmex.jmh.core;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.Val;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
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
 * Signal latency: what one fire-and-forget send to a running actor costs the sender (the benchmark thread), while
 * the actor takes the messages as they come. Myrmex: {@code AgentRef.signal} (Val check, message, bounded mailbox,
 * wake-up); Pekko: {@code tell} to an unbounded mailbox; plain: {@code LinkedBlockingQueue.add}. The receivers keep up,
 * so the figure is the send, not waiting for room.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "-Xmx4g")
public class SignalBenchmark {
    @Param({"MYRMEX", "MYRMEX_HANDLER", "MYRMEX_TURNS", "PEKKO", "VT_QUEUE", "VT_JOX"})
    public ActorKind impl;

    record Tick(long n) implements Val {
    }

    private static final Tick TICK = new Tick(1);

    private Engines engines;
    private AgentRef<Tick> agent;
    private ActorRef actor;
    private PlainActor<Tick> plainActor;
    private long taken; // written by the receiver, one at a time; kept so the work is not dead

    @Setup(Level.Trial)
    public void setUp() {
        engines = Engines.start(impl, "signal");
        switch (impl) {
            case MYRMEX, MYRMEX_HANDLER, MYRMEX_TURNS -> {
                agent = engines.myrmex().spawn("receiver", impl.<Tick>behavior((ctx, m) -> taken += m.payload().n()))
                        .ref();
            }
            case PEKKO -> actor = PekkoSystems.actor(engines.pekko(), (self, m) -> taken += ((Tick) m).n());
            case VT_QUEUE, VT_JOX -> plainActor = engines.plainActor((self, m) -> taken += m.n());
        }
    }

    @Benchmark
    public void signal() {
        switch (impl) {
            case MYRMEX, MYRMEX_HANDLER, MYRMEX_TURNS -> agent.signal(TICK);
            case PEKKO -> actor.tell(TICK, ActorRef.noSender());
            case VT_QUEUE, VT_JOX -> plainActor.tell(TICK);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engines.close();
    }
}
