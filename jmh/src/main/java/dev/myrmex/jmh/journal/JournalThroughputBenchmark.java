package dev.myrmex.jmh.journal;

import dev.myrmex.core.AgentContext;
import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.Message;
import dev.myrmex.core.MessageHandler;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.core.Val;
import dev.myrmex.core.codec.ValueCodec;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventJournal;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalSettings;
import dev.myrmex.core.journal.Severity;
import dev.myrmex.core.mailbox.MailboxSettings;
import dev.myrmex.core.recovery.AgentFactory;
import dev.myrmex.core.recovery.Checkpointable;
import dev.myrmex.journal.ChronicleJournal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * Message throughput with the journal on against off, in messages per microsecond. A producer agent sends
 * {@value #COUNT} increments round robin to {@value #COUNTERS} counter agents, then asks each for its total and checks
 * the sum.
 *
 * <ul>
 *   <li>{@code OFF}: the runtime as built with no journal configured (its bounded in-memory one), plain counters.</li>
 *   <li>{@code ON}: a {@link ChronicleJournal} on disk taking every event (severity DEBUG), and recoverable counters
 *       spawned through an {@link AgentFactory}, checkpointed every {@value #CHECKPOINT_MS} ms (600 times the default
 *       rate): so checkpoints are taken between messages and written while the messages flow.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class JournalThroughputBenchmark {
    static final int COUNT = 1_000_000;
    static final int COUNTERS = 8;
    static final int CHECKPOINT_MS = 100;

    /** Whether the runtime journals to disk and checkpoints its counters. */
    public enum Journal { OFF, ON }

    @Param({"OFF", "ON"})
    public Journal journal;

    sealed interface CounterMsg extends Val permits Increment, Retrieve {
    }

    record Increment() implements CounterMsg {
    }

    record Retrieve() implements CounterMsg {
    }

    /** What the producer takes: a start (negative), or one counter's total. */
    record Total(long n) implements Val {
    }

    private static final Increment INCREMENT = new Increment();
    private static final Retrieve RETRIEVE = new Retrieve();

    /** A counter whose total is its checkpointed state. */
    static final class Counter implements MessageHandler<CounterMsg>, Checkpointable<Long> {
        private long total;

        Counter(Long restored) {
            total = restored == null ? 0 : restored;
        }

        @Override
        public void handle(AgentContext<CounterMsg> ctx, Message<CounterMsg> m) {
            switch (m.payload()) {
                case Increment _ -> total++;
                case Retrieve _ -> ctx.reply(m, new Total(total));
            }
        }

        @Override
        public Long checkpoint() {
            return total;
        }
    }

    private Path dir;
    private ChronicleJournal chronicle;
    private AgentRuntime runtime;
    private AgentHandle<Total> producer;
    private volatile CompletableFuture<Long> result;
    private long rounds;

    @Setup(Level.Trial)
    public void setUp() {
        SpawnOptions options = SpawnOptions.DEFAULTS
                .withMailbox(MailboxSettings.DEFAULTS.withCapacity(COUNT / COUNTERS + 16).withoutWatermarks());
        AgentFactory<CounterMsg, Long> factory = AgentFactory.of(ValueCodec.int64("bench-counter-v1"),
                (name, state) -> Behaviors.nonBlocking(new Counter(state)), options);
        AgentRuntime.Builder b = AgentRuntime.builder();
        if (journal == Journal.ON) {
            dir = BenchJournals.scratch("myrmex-jmh-throughput");
            chronicle = ChronicleJournal.open(dir);
            b.journal(chronicle).journalSettings(JournalSettings.DEFAULTS.withSeverity(Severity.DEBUG))
                    .factory("counter", factory)
                    .checkpointInterval(Duration.ofMillis(CHECKPOINT_MS));
        }
        runtime = b.build();
        runtime.start();
        List<AgentHandle<CounterMsg>> counters = new ArrayList<>();
        for (int i = 0; i < COUNTERS; i++) {
            counters.add(journal == Journal.ON ? runtime.spawn("counter-" + i, factory)
                    : runtime.spawn("counter-" + i, Behaviors.nonBlocking(new Counter(null)), options));
        }
        long[] sum = {0};
        int[] replies = {0};
        producer = runtime.spawn("producer", Behaviors.<Total>nonBlocking((ctx, m) -> {
            if (m.payload().n() < 0) {
                for (int i = 0; i < COUNT; i++) {
                    counters.get(i % COUNTERS).ref().signal(INCREMENT);
                }
                for (AgentHandle<CounterMsg> c : counters) {
                    c.ref().signal(RETRIEVE);
                }
            } else {
                sum[0] += m.payload().n();
                if (++replies[0] == COUNTERS) {
                    result.complete(sum[0]);
                    sum[0] = 0;
                    replies[0] = 0;
                }
            }
        }));
    }

    @Benchmark
    @OperationsPerInvocation(COUNT)
    public long count() throws Exception {
        CompletableFuture<Long> r = new CompletableFuture<>();
        result = r;
        producer.ref().signal(new Total(-1));
        long total = r.get(60, TimeUnit.SECONDS);
        long expected = ++rounds * COUNT; // the counters' totals only grow
        if (total != expected) {
            throw new IllegalStateException("counted " + total + ", expected " + expected);
        }
        return total;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            runtime.close();
            if (chronicle != null) {
                // the ON arm means nothing unless checkpoints were written while the messages flowed
                int checkpoints = chronicle.query(EventFilter.ALL.types(EventType.CHECKPOINT_WRITTEN),
                        EventJournal.MAX_QUERY).size();
                chronicle.close();
                if (checkpoints < 10 * COUNTERS) {
                    throw new IllegalStateException("only " + checkpoints + " checkpoints were written");
                }
            }
        } finally {
            BenchJournals.delete(dir);
        }
    }
}
