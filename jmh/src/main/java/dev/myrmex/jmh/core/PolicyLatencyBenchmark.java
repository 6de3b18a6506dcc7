package dev.myrmex.jmh.core;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.core.Val;
import dev.myrmex.core.scheduling.Priority;
import dev.myrmex.core.scheduling.SchedulingPolicy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
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
 * A CRITICAL agent's latency while LOW agents flood the carriers. {@value #FLOODERS} LOW agents each keep
 * {@value #BACKLOG} messages in their mailbox for ever (each message does some work, then the agent sends itself
 * another), so every carrier is always busy; the benchmark thread signals the CRITICAL agent and waits until its
 * handler has run. Sample time, so JMH reports percentiles: the round trip from the signal to the benchmark thread
 * waking again (the wake-up of a parked platform thread is in every arm alike).
 *
 * <p>Arms, in one run: Myrmex with no policy ({@code DIRECT}: the CRITICAL agent's turn waits in the carriers' global
 * queue behind the flood), with {@code PRIORITY} (its run goes ahead of every LOW run), {@code FAIR_SHARE} (it has
 * used less time than any flooder, so it goes first too, without being told about priorities) and
 * {@code ROUND_ROBIN} (it waits its turn behind every flooder: the price of strict rotation); and Pekko's default
 * dispatcher, where an actor has no priority over its neighbours.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PolicyLatencyBenchmark {
    static final int FLOODERS = 32;
    static final int BACKLOG = 16;

    @Param({"MYRMEX_DIRECT", "MYRMEX_PRIORITY", "MYRMEX_FAIR_SHARE", "MYRMEX_ROUND_ROBIN", "PEKKO"})
    public String impl;

    /** Floating-point steps per LOW message: about a microsecond of work. */
    @Param({"40"})
    public int work;

    record Tick() implements Val {
    }

    record Ping() implements Val {
    }

    private static final Tick TICK = new Tick();
    private static final Ping PING = new Ping();

    private volatile CompletableFuture<Void> answered;
    private Runnable ping;
    private AgentRuntime runtime;
    private ActorSystem pekko;

    @Setup(Level.Trial)
    public void setUp() {
        if (impl.equals("PEKKO")) {
            pekkoFlood();
        } else {
            myrmexFlood(switch (impl) {
                case "MYRMEX_DIRECT" -> SchedulingPolicy.DIRECT;
                case "MYRMEX_PRIORITY" -> SchedulingPolicy.priority();
                case "MYRMEX_FAIR_SHARE" -> SchedulingPolicy.fairShare();
                case "MYRMEX_ROUND_ROBIN" -> SchedulingPolicy.roundRobin(SchedulingPolicy.DEFAULT_BUDGET);
                default -> throw new IllegalArgumentException("unknown impl " + impl);
            });
        }
    }

    @Benchmark
    public void criticalRoundTrip() throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        answered = f;
        ping.run();
        f.get(10, TimeUnit.SECONDS);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        if (runtime != null) {
            runtime.stopNow(Duration.ofSeconds(10));
        }
        if (pekko != null) {
            PekkoSystems.terminate(pekko);
        }
    }

    private void myrmexFlood(SchedulingPolicy policy) {
        runtime = AgentRuntime.builder().schedulingPolicy(policy).build();
        runtime.start();
        for (int i = 0; i < FLOODERS; i++) {
            AgentHandle<Tick> low = runtime.spawn("low-" + i, Behaviors.<Tick>nonBlocking((ctx, m) -> {
                Spin.work(work);
                ctx.self().signal(TICK);
            }), SpawnOptions.DEFAULTS.withPriority(Priority.LOW));
            for (int k = 0; k < BACKLOG; k++) {
                low.ref().signal(TICK);
            }
        }
        AgentHandle<Ping> critical = runtime.spawn("critical",
                Behaviors.<Ping>nonBlocking((ctx, m) -> answered.complete(null)),
                SpawnOptions.DEFAULTS.withPriority(Priority.CRITICAL));
        ping = () -> critical.ref().signal(PING);
    }

    private void pekkoFlood() {
        pekko = ActorSystem.create("policy-latency");
        for (int i = 0; i < FLOODERS; i++) {
            ActorRef low = PekkoSystems.actor(pekko, (self, m) -> {
                Spin.work(work);
                self.getSelf().tell(TICK, ActorRef.noSender());
            });
            for (int k = 0; k < BACKLOG; k++) {
                low.tell(TICK, ActorRef.noSender());
            }
        }
        ActorRef critical = PekkoSystems.actor(pekko, (self, m) -> answered.complete(null));
        ping = () -> critical.tell(PING, ActorRef.noSender());
    }
}
