package dev.myrmex.jmh.core;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Val;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
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
 * Savina's thread ring: {@value #RING} actors in a ring pass a token {@value #HOPS} times per invocation; reported as
 * ns per hop. Long chains of wake-ups, each to a different actor: the LIFO slot's best case, and a test of how cheaply
 * an idle actor wakes. Same three implementations as {@link AgentPingPongBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class ThreadRingBenchmark {
    static final int RING = 503;
    static final int HOPS = 50_000;

    @Param({"MYRMEX", "MYRMEX_HANDLER", "MYRMEX_TURNS", "PEKKO", "VT_QUEUE", "VT_JOX"})
    public ActorKind impl;

    /** Hops left; the actor that receives 0 ends the lap. */
    record Token(int left) implements Val {
    }

    private volatile CompletableFuture<Void> lapDone;
    private Runnable stop;
    private Runnable startLap; // sends Token(HOPS) to the first actor

    @Setup(Level.Trial)
    public void setUp() {
        switch (impl) {
            case MYRMEX, MYRMEX_HANDLER, MYRMEX_TURNS -> myrmex();
            case PEKKO -> pekko();
            case VT_QUEUE, VT_JOX -> virtualThreads();
        }
    }

    @Benchmark
    @OperationsPerInvocation(HOPS)
    public void hop() throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        lapDone = done;
        startLap.run();
        done.get(60, TimeUnit.SECONDS); // a broken implementation fails the run instead of hanging it
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        stop.run();
    }

    private void myrmex() {
        AgentRuntime rt = AgentRuntime.builder().build();
        rt.start();
        List<AgentRef<Token>> refs = new ArrayList<>(RING);
        @SuppressWarnings("unchecked")
        AgentRef<Token>[] next = new AgentRef[RING];
        for (int i = 0; i < RING; i++) {
            int me = i;
            @SuppressWarnings("unchecked")
            AgentRef<Token>[] successor = new AgentRef[1];
            AgentHandle<Token> h = rt.spawn("ring-" + i, impl.behavior((ctx, m) -> {
                if (successor[0] == null) {
                    // Read at the first message: the array was filled before the first lap was sent, and every
                    // agent's first message descends from that send.
                    successor[0] = next[me];
                }
                int left = m.payload().left();
                if (left <= 0) {
                    lapDone.complete(null);
                } else {
                    successor[0].signal(new Token(left - 1));
                }
            }));
            refs.add(h.ref());
        }
        for (int i = 0; i < RING; i++) {
            next[i] = refs.get((i + 1) % RING);
        }
        startLap = () -> refs.getFirst().signal(new Token(HOPS));
        stop = rt::close;
    }

    static final class RingActor extends AbstractActor {
        private final CompletableFuture<Void>[] done;
        private ActorRef next;

        RingActor(CompletableFuture<Void>[] done) {
            this.done = done;
        }

        record Next(ActorRef next) {
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(Next.class, n -> next = n.next())
                    .match(Token.class, t -> {
                        if (t.left() <= 0) {
                            done[0].complete(null);
                        } else {
                            next.tell(new Token(t.left() - 1), getSelf());
                        }
                    }).build();
        }
    }

    private void pekko() {
        ActorSystem system = ActorSystem.create("ring");
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] done = new CompletableFuture[1];
        List<ActorRef> actors = new ArrayList<>(RING);
        for (int i = 0; i < RING; i++) {
            actors.add(system.actorOf(Props.create(RingActor.class, () -> new RingActor(done)), "ring-" + i));
        }
        for (int i = 0; i < RING; i++) {
            actors.get(i).tell(new RingActor.Next(actors.get((i + 1) % RING)), ActorRef.noSender());
        }
        startLap = () -> {
            done[0] = lapDone; // published to the actors by the tell below
            actors.getFirst().tell(new Token(HOPS), ActorRef.noSender());
        };
        stop = () -> PekkoSystems.terminate(system);
    }

    private void virtualThreads() {
        List<LinkedBlockingQueue<Token>> queues = new ArrayList<>(RING);
        for (int i = 0; i < RING; i++) {
            queues.add(new LinkedBlockingQueue<>());
        }
        List<Thread> threads = new ArrayList<>(RING);
        for (int i = 0; i < RING; i++) {
            LinkedBlockingQueue<Token> in = queues.get(i);
            LinkedBlockingQueue<Token> out = queues.get((i + 1) % RING);
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Token t = in.take();
                        if (t.left() < 0) {
                            return; // stop
                        }
                        if (t.left() == 0) {
                            lapDone.complete(null);
                        } else {
                            out.put(new Token(t.left() - 1));
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        startLap = () -> queues.getFirst().add(new Token(HOPS));
        stop = () -> {
            for (LinkedBlockingQueue<Token> q : queues) {
                q.add(new Token(-1));
            }
            for (Thread t : threads) {
                try {
                    t.join(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        };
    }
}
