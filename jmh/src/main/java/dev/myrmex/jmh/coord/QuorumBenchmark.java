package dev.myrmex.jmh.coord;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.Val;
import dev.myrmex.core.coord.Quorum;
import dev.myrmex.core.coord.QuorumResult;
import dev.myrmex.core.coord.QuorumThreshold;
import dev.myrmex.jmh.core.PekkoSystems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.pattern.Patterns;
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
 * One majority decision of 5 in-process members, sampled (the goal: under 20 us at the median). The caller
 * is the benchmark thread (a platform thread), which waits for the outcome spinning ({@code SPIN}: the time of the
 * decision itself) or parked in {@code get} ({@code PARK}: plus this thread's wake-up, which on a VM costs more than
 * the decision; an agent that asks a quorum chains on the future or parks a virtual thread, about 1 us).
 * {@code QUORUM}: {@link Quorum#ask} (a reply address per member, a tally, one timeout); {@code FIVE_ASKS}: the same by
 * hand from five {@code AgentRef.ask}s and a counter (no tally of values, five timeouts); {@code PEKKO}: five
 * {@code Patterns.ask}s to five classic actors and a counter.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class QuorumBenchmark {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MEMBERS = 5;
    private static final int NEEDED = 3;

    /** What decides. */
    public enum Impl { QUORUM, FIVE_ASKS, PEKKO }

    @Param({"QUORUM", "FIVE_ASKS", "PEKKO"})
    public Impl impl;

    /** How the benchmark thread waits for the outcome. */
    public enum Wait { SPIN, PARK }

    @Param({"SPIN", "PARK"})
    public Wait wait;

    record Question(int n) implements Val {
    }

    record Answer(int n) implements Val {
    }

    private static final Question QUESTION = new Question(20);

    private AgentRuntime rt;
    private ActorSystem system;
    private final List<AgentRef<Question>> members = new ArrayList<>();
    private final List<ActorRef> actors = new ArrayList<>();
    private Quorum<Question, Answer> quorum;

    @Setup(Level.Trial)
    public void setUp() {
        if (impl == Impl.PEKKO) {
            system = ActorSystem.create("quorum");
            for (int i = 0; i < MEMBERS; i++) {
                actors.add(PekkoSystems.actor(system, (self, m) -> self.reply(new Answer(((Question) m).n() + 1))));
            }
            return;
        }
        rt = AgentRuntime.builder().build();
        rt.start();
        for (int i = 0; i < MEMBERS; i++) {
            members.add(rt.<Question>spawn("member-" + i, Behaviors.nonBlocking(
                    (ctx, m) -> ctx.reply(m, new Answer(m.payload().n() + 1)))).ref());
        }
        quorum = Quorum.of(rt, members, QuorumThreshold.majority(), TIMEOUT);
    }

    @Benchmark
    public Object decide() throws Exception {
        return switch (impl) {
            case QUORUM -> {
                QuorumResult<Answer> r = await(quorum.ask(QUESTION));
                if (!r.decided()) {
                    throw new IllegalStateException("not decided: " + r);
                }
                yield r.decision();
            }
            case FIVE_ASKS -> {
                CompletableFuture<Answer> decided = new CompletableFuture<>();
                AtomicInteger answers = new AtomicInteger();
                for (AgentRef<Question> m : members) {
                    m.ask(QUESTION, Answer.class, TIMEOUT).thenAccept(a -> {
                        if (answers.incrementAndGet() == NEEDED) {
                            decided.complete(a);
                        }
                    });
                }
                yield await(decided);
            }
            case PEKKO -> {
                CompletableFuture<Object> decided = new CompletableFuture<>();
                AtomicInteger answers = new AtomicInteger();
                for (ActorRef a : actors) {
                    Patterns.ask(a, QUESTION, TIMEOUT).thenAccept(x -> {
                        if (answers.incrementAndGet() == NEEDED) {
                            decided.complete(x);
                        }
                    });
                }
                yield await(decided);
            }
        };
    }

    /** Waits for the outcome: spinning measures the decision itself; parking adds this thread's wake-up. */
    private <T> T await(CompletableFuture<T> f) throws Exception {
        if (wait == Wait.SPIN) {
            while (!f.isDone()) {
                Thread.onSpinWait();
            }
        }
        return f.get(60, TimeUnit.SECONDS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (rt != null) {
            rt.close();
        }
        if (system != null) {
            PekkoSystems.terminate(system);
        }
    }
}
