package dev.myrmex.jmh.core;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Val;
import java.time.Duration;
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
 * Savina-style ping-pong between two actors: a ball goes back and forth {@value #HOPS} times per invocation; reported
 * as ns per hop (one message sent, received and answered). Every {@link ActorKind} in one run: Myrmex agents of
 * each style ({@code AgentRef.signal}), Apache Pekko classic actors ({@code tell}, default dispatcher and settings),
 * and plain virtual threads on the JDK scheduler with one {@link LinkedBlockingQueue} each.
 * The benchmark thread starts a batch and waits for its end; its own hand-offs are under 0.1% of the figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class AgentPingPongBenchmark {
    static final int HOPS = 20_000;

    @Param({"MYRMEX", "MYRMEX_HANDLER", "MYRMEX_TURNS", "PEKKO", "VT_QUEUE", "VT_JOX"})
    public ActorKind impl;

    /** Hits left in the rally; the receiver answers until it reaches 0. */
    record Ball(int left) implements Val {
    }

    private Runnable stop;
    private Pair pair;

    /** One implementation: starts a rally of {@code hops} and returns when it ends. */
    interface Pair {
        void rally(int hops) throws Exception;
    }

    @Setup(Level.Trial)
    public void setUp() {
        pair = switch (impl) {
            case MYRMEX, MYRMEX_HANDLER, MYRMEX_TURNS -> myrmex();
            case PEKKO -> pekko();
            case VT_QUEUE, VT_JOX -> virtualThreads();
        };
    }

    @Benchmark
    @OperationsPerInvocation(HOPS)
    public void hop() throws Exception {
        pair.rally(HOPS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        stop.run();
    }

    // ---- Myrmex agents ----

    private volatile CompletableFuture<Void> rallyDone;

    private Pair myrmex() {
        AgentRuntime rt = AgentRuntime.builder().build();
        rt.start();
        AgentHandle<Ball> pong = rt.spawn("pong", impl.behavior(
                (ctx, m) -> ctx.reply(m, new Ball(m.payload().left() - 1))));
        AgentHandle<Ball> ping = rt.spawn("ping", impl.behavior((ctx, m) -> {
            int left = m.payload().left();
            if (left <= 0) {
                rallyDone.complete(null);
            } else {
                pong.ref().signal(new Ball(left - 1));
            }
        }));
        stop = rt::close;
        return hops -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            rallyDone = done;
            ping.ref().signal(new Ball(hops)); // from outside: ping serves first
            done.get(60, TimeUnit.SECONDS); // a broken implementation fails instead of hanging
        };
    }

    // ---- Apache Pekko classic actors ----

    static final class PongActor extends AbstractActor {
        @Override
        public Receive createReceive() {
            return receiveBuilder().match(Ball.class, b -> getSender().tell(new Ball(b.left() - 1), getSelf())).build();
        }
    }

    static final class PingActor extends AbstractActor {
        private final ActorRef pong;
        private CompletableFuture<Void> done;

        PingActor(ActorRef pong) {
            this.pong = pong;
        }

        record Start(int hops, CompletableFuture<Void> done) {
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(Start.class, s -> {
                        done = s.done();
                        pong.tell(new Ball(s.hops() - 1), getSelf());
                    })
                    .match(Ball.class, b -> {
                        if (b.left() <= 0) {
                            done.complete(null);
                        } else {
                            pong.tell(new Ball(b.left() - 1), getSelf());
                        }
                    }).build();
        }
    }

    private Pair pekko() {
        ActorSystem system = ActorSystem.create("bench");
        ActorRef pong = system.actorOf(Props.create(PongActor.class, PongActor::new), "pong");
        ActorRef ping = system.actorOf(Props.create(PingActor.class, () -> new PingActor(pong)), "ping");
        stop = () -> PekkoSystems.terminate(system);
        return hops -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            ping.tell(new PingActor.Start(hops, done), ActorRef.noSender());
            done.get(60, TimeUnit.SECONDS); // a broken implementation fails instead of hanging
        };
    }

    // ---- plain virtual threads with a LinkedBlockingQueue each ----

    private Pair virtualThreads() {
        LinkedBlockingQueue<Object> toPing = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<Object> toPong = new LinkedBlockingQueue<>();
        Object poison = new Object();
        Thread pong = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    Object o = toPong.take();
                    if (o == poison) {
                        return;
                    }
                    toPing.put(new Ball(((Ball) o).left() - 1));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        LinkedBlockingQueue<CompletableFuture<Void>> starts = new LinkedBlockingQueue<>();
        Thread ping = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    Object first = starts.take();
                    if (first == poison) {
                        return;
                    }
                    @SuppressWarnings("unchecked")
                    CompletableFuture<Void> done = (CompletableFuture<Void>) first;
                    int hops = rallyLength;
                    toPong.put(new Ball(hops - 1));
                    while (true) {
                        Ball b = (Ball) toPing.take();
                        if (b.left() <= 0) {
                            done.complete(null);
                            break;
                        }
                        toPong.put(new Ball(b.left() - 1));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stop = () -> {
            toPong.add(poison); // pong ends on it; ping waits for the next rally: interrupt it
            ping.interrupt();
            try {
                pong.join(Duration.ofSeconds(30));
                ping.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        return hops -> {
            rallyLength = hops;
            CompletableFuture<Void> done = new CompletableFuture<>();
            starts.put(done);
            done.get(60, TimeUnit.SECONDS); // a broken implementation fails instead of hanging
        };
    }

    private volatile int rallyLength;
}
