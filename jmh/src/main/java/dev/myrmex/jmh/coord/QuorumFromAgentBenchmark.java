package dev.myrmex.jmh.coord;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.Val;
import dev.myrmex.core.coord.Quorum;
import dev.myrmex.core.coord.QuorumResult;
import dev.myrmex.core.coord.QuorumThreshold;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A 5-member majority quorum asked the way an agent asks it: from a virtual thread on the runtime's scheduler that
 * parks until the outcome, {@value #ROUNDS} rounds back to back per invocation. JMH reports the mean per round; each
 * measured iteration also prints the median and p99 of its rounds (HdrHistogram), marked {@code quorum-from-agent}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class QuorumFromAgentBenchmark {
    static final int ROUNDS = 1_000;

    record Question(int n) implements Val {
    }

    record Answer(int n) implements Val {
    }

    private AgentRuntime rt;
    private Quorum<Question, Answer> quorum;
    private final Histogram rounds = new Histogram(1, TimeUnit.SECONDS.toNanos(10), 3); // the asker's, then read

    @Setup(Level.Trial)
    public void setUp() {
        rt = AgentRuntime.builder().build();
        rt.start();
        List<AgentRef<Question>> members = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            members.add(rt.<Question>spawn("member-" + i, Behaviors.nonBlocking(
                    (ctx, m) -> ctx.reply(m, new Answer(m.payload().n() + 1)))).ref());
        }
        quorum = Quorum.of(rt, members, QuorumThreshold.majority(), Duration.ofSeconds(10));
    }

    @Setup(Level.Iteration)
    public void resetRounds() {
        rounds.reset();
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public int decide() throws Exception {
        int[] sum = {0};
        Throwable[] failure = {null};
        Thread asker = rt.scheduler().threadBuilder().start(() -> {
            try {
                for (int i = 0; i < ROUNDS; i++) {
                    long t0 = System.nanoTime();
                    QuorumResult<Answer> r = quorum.ask(new Question(i)).get(60, TimeUnit.SECONDS);
                    rounds.recordValue(Math.min(System.nanoTime() - t0, TimeUnit.SECONDS.toNanos(10)));
                    sum[0] += r.decision().n();
                }
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        if (!asker.join(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the asker did not finish");
        }
        if (failure[0] != null) {
            throw new IllegalStateException("a round failed", failure[0]);
        }
        return sum[0];
    }

    @TearDown(Level.Iteration)
    public void printRounds() {
        System.out.printf(Locale.ROOT, "quorum-from-agent: %d rounds, p50 %.2f us, p99 %.2f us%n",
                rounds.getTotalCount(), rounds.getValueAtPercentile(50) / 1e3, rounds.getValueAtPercentile(99) / 1e3);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        rt.close();
    }
}
