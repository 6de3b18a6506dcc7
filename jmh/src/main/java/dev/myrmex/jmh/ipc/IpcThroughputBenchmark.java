package dev.myrmex.jmh.ipc;

import java.util.concurrent.TimeUnit;
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
 * One-way messages into a child process, as fast as it takes them. {@code MYRMEX}: {@code signal} of a
 * {@link IpcMessages.Ping} to an out-of-process agent (encoded into the ring; a full ring holds the sender back);
 * {@code BARE_RING}: the same number of bytes written into a bare Agrona ring drained by a spinning child. The rate
 * is the child's once the ring is full, so it measures the whole path. Goal: MYRMEX at least half of BARE_RING.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class IpcThroughputBenchmark {
    /** What carries the messages. */
    public enum Impl { MYRMEX, BARE_RING }

    @Param({"MYRMEX", "BARE_RING"})
    public Impl impl;

    private IpcBench.Target target;
    private final IpcMessages.Ping ping = new IpcMessages.Ping(1, 2, 3, 4);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        // the echo takes signals (no sender) without answering: a sink
        target = impl == Impl.MYRMEX ? IpcBench.Target.myrmex("sink") : IpcBench.Target.bare("sink");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        target.close();
    }

    @Benchmark
    public boolean send() {
        if (impl == Impl.MYRMEX) {
            return target.agent.ref().signal(ping);
        }
        while (!target.bare.toChild.write(1, target.frame, 0, target.frame.capacity())) {
            Thread.onSpinWait();
        }
        return true;
    }
}
