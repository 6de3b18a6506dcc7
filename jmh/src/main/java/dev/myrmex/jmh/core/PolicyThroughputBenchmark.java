package dev.myrmex.jmh.core;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.Val;
import dev.myrmex.core.scheduling.SchedulingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * What a scheduling policy costs. {@value #AGENTS} handler agents each send themselves {@value #PER_AGENT} messages
 * (a handler that re-sends until its count runs out), with no work per message, so the mailbox and the scheduling are
 * all there is. Messages per microsecond, every policy in one run: {@code DIRECT} (none) is the baseline.
 * {@code RATE_BASED} runs with a rate too high to bind (10<sup>9</sup>/s), to price the token bucket itself;
 * {@code ROUND_ROBIN} has its default quantum of one message, so every message is a run of its own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolicyThroughputBenchmark {
    static final int AGENTS = 16;
    static final int PER_AGENT = 20_000;

    @Param({"DIRECT", "FAIR_SHARE", "PRIORITY", "ROUND_ROBIN", "RATE_BASED"})
    public String policy;

    /** A start ({@code count > 0}: that many messages to pass) or one of them (0). */
    record Go(int count) implements Val {
    }

    private static final Go NEXT = new Go(0);

    private volatile CountDownLatch done;
    private final List<AgentHandle<Go>> agents = new ArrayList<>();
    private AgentRuntime runtime;

    @Setup(Level.Trial)
    public void setUp() {
        SchedulingPolicy p = switch (policy) {
            case "DIRECT" -> SchedulingPolicy.DIRECT;
            case "FAIR_SHARE" -> SchedulingPolicy.fairShare();
            case "PRIORITY" -> SchedulingPolicy.priority();
            case "ROUND_ROBIN" -> SchedulingPolicy.roundRobin();
            case "RATE_BASED" -> SchedulingPolicy.rateBased(1e9, 1_000_000);
            default -> throw new IllegalArgumentException("unknown policy " + policy);
        };
        runtime = AgentRuntime.builder().schedulingPolicy(p).build();
        runtime.start();
        for (int i = 0; i < AGENTS; i++) {
            int[] left = {0};
            agents.add(runtime.spawn("self-sender-" + i, Behaviors.<Go>nonBlocking((ctx, m) -> {
                int c = m.payload().count();
                if (c > 0) {
                    left[0] = c;
                }
                if (--left[0] > 0) {
                    ctx.self().signal(NEXT);
                } else {
                    done.countDown();
                }
            })));
        }
    }

    @Benchmark
    @OperationsPerInvocation(AGENTS * PER_AGENT)
    public void selfSends() throws InterruptedException {
        CountDownLatch d = new CountDownLatch(AGENTS);
        done = d;
        Go start = new Go(PER_AGENT);
        for (AgentHandle<Go> a : agents) {
            a.ref().signal(start);
        }
        if (!d.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(d.getCount() + " agents did not finish");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        runtime.stopNow(Duration.ofSeconds(10));
    }
}
