package dev.myrmex.jmh.ipc;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Sendable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The time from {@code spawn} of an out-of-process agent to its first reply: a child JVM started, its runtime up, the
 * channel mapped, one round trip. Each measured shot spawns a new agent; the previous one is stopped (gracefully:
 * its child exits) between shots, outside the measurement.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(2)
public class IpcSpawnBenchmark {
    private AgentRuntime rt;
    private AgentHandle<Sendable> last;
    private int n;

    @Setup(Level.Trial)
    public void setUp() {
        rt = AgentRuntime.builder().workers(1).build();
        rt.start();
    }

    @TearDown(Level.Iteration)
    public void stopLast() throws Exception {
        if (last != null) {
            last.stop();
            last.join(Duration.ofSeconds(30));
            last = null;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        rt.close();
    }

    @Benchmark
    public AgentHandle<Sendable> spawnToFirstReply() throws Exception {
        last = IpcBench.spawnEcho(rt, "spawned-" + ++n);
        return last;
    }
}
