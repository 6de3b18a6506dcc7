package dev.myrmex.jmh.core;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.core.Val;
import dev.myrmex.core.mailbox.MailboxSettings;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Savina's counting: one producer actor sends {@value #COUNT} increments to one counter actor, then asks for the
 * total and checks it. Reported as messages per microsecond (= millions per second). One sender, one receiver, a
 * deep queue: the mailbox's raw throughput. The counter's mailbox holds all of them, as Pekko's default unbounded
 * mailbox does, so no backpressure slows the producer down.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class CountingBenchmark {
    static final int COUNT = 1_000_000;

    @Param({"MYRMEX", "MYRMEX_HANDLER", "MYRMEX_TURNS", "PEKKO", "VT_QUEUE", "VT_JOX"})
    public ActorKind impl;

    /** What the counter takes. */
    sealed interface CounterMsg extends Val permits Increment, Retrieve {
    }

    record Increment() implements CounterMsg {
    }

    record Retrieve() implements CounterMsg {
    }

    /** What the producer takes: a start, or the counter's total. */
    record ProducerMsg(long total) implements Val {
    }

    private static final Increment INCREMENT = new Increment();
    private static final Retrieve RETRIEVE = new Retrieve();

    private volatile CompletableFuture<Long> result;
    private Runnable start;
    private Engines engines;

    @Setup(Level.Trial)
    public void setUp() {
        engines = Engines.start(impl, "counting");
        switch (impl) {
            case MYRMEX, MYRMEX_HANDLER, MYRMEX_TURNS -> myrmex();
            case PEKKO -> pekko();
            case VT_QUEUE, VT_JOX -> virtualThreads();
        }
    }

    @Benchmark
    @OperationsPerInvocation(COUNT)
    public long count() throws Exception {
        CompletableFuture<Long> r = new CompletableFuture<>();
        result = r;
        start.run();
        long total = r.get(60, TimeUnit.SECONDS);
        if (total != COUNT) {
            throw new IllegalStateException("counted " + total + " of " + COUNT);
        }
        return total;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engines.close();
    }

    private void myrmex() {
        AgentRuntime rt = engines.myrmex();
        long[] count = {0};
        // Room for all of them and no watermarks: the producer (an outside thread, held back at the high watermark
        // since issue 21) must not be slowed down, as with Pekko's unbounded mailbox.
        MailboxSettings unbounded = MailboxSettings.DEFAULTS.withCapacity(COUNT + 16).withoutWatermarks();
        AgentHandle<CounterMsg> counter = rt.spawn("counter", impl.<CounterMsg>behavior((ctx, m) -> {
            switch (m.payload()) {
                case Increment _ -> count[0]++;
                case Retrieve _ -> {
                    ctx.reply(m, new ProducerMsg(count[0]));
                    count[0] = 0;
                }
            }
        }), SpawnOptions.DEFAULTS.withMailbox(unbounded));
        AgentHandle<ProducerMsg> producer = rt.spawn("producer", impl.<ProducerMsg>behavior((ctx, m) -> {
            if (m.payload().total() < 0) { // the start
                for (int i = 0; i < COUNT; i++) {
                    counter.ref().signal(INCREMENT);
                }
                counter.ref().signal(RETRIEVE);
            } else {
                result.complete(m.payload().total());
            }
        }));
        start = () -> producer.ref().signal(new ProducerMsg(-1));
    }

    private void pekko() {
        ActorSystem system = engines.pekko();
        long[] count = {0};
        ActorRef counter = PekkoSystems.actor(system, (self, m) -> {
            if (m instanceof Increment) {
                count[0]++;
            } else {
                self.reply(new ProducerMsg(count[0]));
                count[0] = 0;
            }
        });
        ActorRef producer = PekkoSystems.actor(system, (self, m) -> {
            ProducerMsg p = (ProducerMsg) m;
            if (p.total() < 0) {
                for (int i = 0; i < COUNT; i++) {
                    counter.tell(INCREMENT, self.getSelf());
                }
                counter.tell(RETRIEVE, self.getSelf());
            } else {
                result.complete(p.total());
            }
        });
        start = () -> producer.tell(new ProducerMsg(-1), ActorRef.noSender());
    }

    private void virtualThreads() {
        long[] count = {0};
        @SuppressWarnings("unchecked")
        PlainActor<ProducerMsg>[] producer = new PlainActor[1];
        PlainActor<CounterMsg> counter = engines.plainActor((self, m) -> {
            if (m instanceof Increment) {
                count[0]++;
            } else {
                producer[0].tell(new ProducerMsg(count[0]));
                count[0] = 0;
            }
        });
        producer[0] = engines.plainActor((self, m) -> {
            if (m.total() < 0) {
                for (int i = 0; i < COUNT; i++) {
                    counter.tell(INCREMENT);
                }
                counter.tell(RETRIEVE);
            } else {
                result.complete(m.total());
            }
        });
        start = () -> producer[0].tell(new ProducerMsg(-1));
    }
}
