package dev.myrmex.jmh.ipc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
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
 * One round trip to a child process and back, sampled. {@code MYRMEX}: the benchmark thread asks an out-of-process
 * echo agent ({@code AgentRef.ask}: a reply address, a frame each way through the channel's rings, the child's agent)
 * and waits with {@code get()}, which on a platform thread reads the reply off the ring itself before it would park
 * (so no hand-off from the parent's reader thread). {@code BARE_RING}: the same number of bytes
 * ({@link IpcMessages#frameLength()}) written into a bare Agrona ring, echoed by a child that spins on the other ring,
 * this thread spinning for the echo: the floor (with both sides yielding instead of spinning it measured 1.4 us,
 * against 0.9). Goal: MYRMEX within 2x of BARE_RING.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class IpcPingPongBenchmark {
    /** What carries the round trip. */
    public enum Impl { MYRMEX, BARE_RING }

    @Param({"MYRMEX", "BARE_RING"})
    public Impl impl;

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private IpcBench.Target target;
    private long n;
    private long echoed;
    private final MessageHandler onEcho = (type, buffer, index, length) -> echoed = buffer.getLong(index);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (impl == Impl.MYRMEX) {
            target = IpcBench.Target.myrmex("echo");
        } else {
            target = IpcBench.Target.bare("echo");
            roundTripBare(); // waits for the child to answer
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        target.close();
    }

    @Benchmark
    public long roundTrip() throws Exception {
        if (impl == Impl.BARE_RING) {
            return roundTripBare();
        }
        CompletableFuture<IpcMessages.Ping> f = target.agent.ref().ask(new IpcMessages.Ping(++n, 1, 2, 3),
                IpcMessages.Ping.class, TIMEOUT);
        return f.get().n(); // a platform thread's get polls the reply ring itself for a while before it parks
    }

    private long roundTripBare() {
        UnsafeBuffer frame = target.frame;
        frame.putLong(0, ++n);
        while (!target.bare.toChild.write(1, frame, 0, frame.capacity())) {
            Thread.onSpinWait();
        }
        long before = echoed;
        while (echoed == before) {
            target.bare.toParent.read(onEcho);
            Thread.onSpinWait(); // the bare ring's best: two spinners, one per core
        }
        return echoed;
    }
}
