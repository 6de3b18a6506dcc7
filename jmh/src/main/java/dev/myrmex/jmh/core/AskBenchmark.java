package dev.myrmex.jmh.core;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.Request;
import dev.myrmex.core.Val;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.pattern.Patterns;
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
 * Ask round trip: a virtual thread asks an actor, which answers, and waits for the reply (for Myrmex the asker runs
 * on the runtime's scheduler, for the others on the JDK's). Myrmex:
 * {@code AgentRef.ask} with a timeout; Pekko: {@code Patterns.ask} with a timeout (a temporary actor per ask); plain:
 * the request carries a {@link CompletableFuture} that the virtual thread completes (no timeout at all).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class AskBenchmark {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int ASKS = 1_000;

    @Param({"MYRMEX", "MYRMEX_HANDLER", "MYRMEX_TURNS", "PEKKO", "VT_QUEUE", "VT_JOX"})
    public ActorKind impl;

    record Question(int n) implements Request<Question, Answer> {
    }

    record Answer(int n) implements Val {
    }

    /** The plain baseline's request: the question and where to put the answer. */
    record PlainAsk(int n, CompletableFuture<Answer> reply) {
    }

    private static final Question QUESTION = new Question(20);

    private Engines engines;
    private AgentRef<Question> agent;
    private ActorRef actor;
    private PlainActor<PlainAsk> plainActor;

    @Setup(Level.Trial)
    public void setUp() {
        engines = Engines.start(impl, "ask");
        switch (impl) {
            case MYRMEX, MYRMEX_HANDLER, MYRMEX_TURNS -> agent = engines.myrmex().spawn("oracle",
                    impl.<Question>behavior((ctx, m) -> ctx.reply(m, new Answer(m.payload().n() + 22)))).ref();
            case PEKKO -> actor = PekkoSystems.actor(engines.pekko(),
                    (self, m) -> self.reply(new Answer(((Question) m).n() + 22)));
            case VT_QUEUE, VT_JOX -> plainActor = engines.plainActor(
                    (self, r) -> r.reply().complete(new Answer(r.n() + 22)));
        }
    }

    /** One asker thread per invocation asks {@value #ASKS} times in a row: the round trip between virtual threads. */
    @Benchmark
    @OperationsPerInvocation(ASKS)
    public int ask() throws Exception {
        int[] sum = {0};
        Throwable[] failure = {null};
        Runnable asker = () -> {
            try {
                for (int i = 0; i < ASKS; i++) {
                    sum[0] += askOnce().n();
                }
            } catch (Throwable t) {
                failure[0] = t;
            }
        };
        Thread t = impl.isMyrmex() ? engines.myrmex().scheduler().threadBuilder().start(asker)
                : Thread.ofVirtual().start(asker);
        if (!t.join(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the asker did not finish");
        }
        if (failure[0] != null) {
            throw new IllegalStateException("an ask failed", failure[0]);
        }
        return sum[0];
    }

    private Answer askOnce() throws Exception {
        CompletableFuture<Answer> reply = switch (impl) {
            case MYRMEX, MYRMEX_HANDLER, MYRMEX_TURNS -> agent.ask(QUESTION, TIMEOUT);
            case PEKKO -> Patterns.ask(actor, QUESTION, TIMEOUT).toCompletableFuture().thenApply(a -> (Answer) a);
            case VT_QUEUE, VT_JOX -> {
                CompletableFuture<Answer> f = new CompletableFuture<>();
                plainActor.tell(new PlainAsk(QUESTION.n(), f));
                yield f;
            }
        };
        return reply.get(60, TimeUnit.SECONDS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engines.close();
    }
}
