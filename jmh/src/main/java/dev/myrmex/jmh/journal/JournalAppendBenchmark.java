package dev.myrmex.jmh.journal;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.AgentState;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.Val;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalSettings;
import dev.myrmex.journal.ChronicleJournal;
import dev.myrmex.journal.Durability;
import dev.myrmex.journal.internal.RecordCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
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
 * Event append latency, sampled (read the p50 and p99 lines), from the moment something happens to the moment its
 * event is in the Chronicle queue.
 *
 * <ul>
 *   <li>{@code RUNTIME}: the whole path. The benchmark thread pauses (or resumes) an agent; the runtime records
 *       AGENT_PAUSED, the event goes through the Disruptor ring to the journal writer thread, which encodes it and
 *       appends it to a {@link ChronicleJournal}; the benchmark thread waits, spinning, until the journal's append
 *       has returned. So each sample holds the pause, the ring hand-off, the encoding, the append, and the hop
 *       back.</li>
 *   <li>{@code RUNTIME_SPIN}: the same, with the journal writer spinning {@link #SPIN} for the next event before it
 *       backs off ({@code JournalSettings.writerSpin}).</li>
 *   <li>{@code PUBLISH}: what recording the event costs the thread that records it: the same pause, without waiting
 *       for the writer (agents never wait on the journal).</li>
 *   <li>{@code JOURNAL}: {@link ChronicleJournal#append} of the one event on the benchmark thread: the encoding and
 *       the append, without the ring.</li>
 *   <li>{@code RAW}: the floor. The benchmark thread appends the same bytes (the event pre-encoded in the journal's
 *       format) to a bare Chronicle queue built the same way: one {@code writingDocument} per event.</li>
 * </ul>
 * Both with each {@link Durability}: {@code POWER_LOSS} adds an msync per append (per batch on the runtime path, and
 * the batches here are single events), which is what that mode costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(3)
public class JournalAppendBenchmark {
    /** Which way an event goes into the queue. */
    public enum Route { RUNTIME, RUNTIME_SPIN, PUBLISH, JOURNAL, RAW }

    /** The journal writer's spin on the {@code RUNTIME_SPIN} route. */
    static final Duration SPIN = Duration.ofNanos(50_000);

    @Param({"RUNTIME", "RUNTIME_SPIN", "PUBLISH", "JOURNAL", "RAW"})
    public Route route;

    @Param({"PROCESS_CRASH", "POWER_LOSS"})
    public Durability durability;

    record Nothing() implements Val {
    }

    private Path dir;
    private ChronicleJournal journal; // all routes but RAW
    // RUNTIME, RUNTIME_SPIN, PUBLISH
    private BenchJournals.Counting counting;
    private AgentRuntime runtime;
    private AgentHandle<Nothing> subject;
    private boolean paused;
    private long expected; // events the journal should have appended by now
    // JOURNAL
    private List<JournalEvent> single;
    // RAW
    private SingleChronicleQueue queue;
    private ExcerptAppender appender;
    private byte[] encoded;

    @Setup(Level.Trial)
    public void setUp() {
        dir = BenchJournals.scratch("myrmex-jmh-append");
        switch (route) {
            case RUNTIME, RUNTIME_SPIN, PUBLISH -> {
                journal = ChronicleJournal.open(dir, durability);
                counting = new BenchJournals.Counting(journal);
                runtime = AgentRuntime.builder().journal(counting)
                        .journalSettings(JournalSettings.DEFAULTS
                                .withWriterSpin(route == Route.RUNTIME_SPIN ? SPIN : Duration.ZERO)).build();
                runtime.start();
                subject = runtime.spawn("subject", Behaviors.<Nothing>nonBlocking((ctx, m) -> { }));
                while (subject.state() != AgentState.RUNNING) {
                    Thread.onSpinWait();
                }
                if (!runtime.flushJournal(Duration.ofSeconds(10))) {
                    throw new IllegalStateException("the journal writer did not catch up with the start");
                }
                expected = counting.appended();
            }
            case JOURNAL -> {
                journal = ChronicleJournal.open(dir, durability);
                single = List.of(JournalEvent.of(Instant.now(), EventType.AGENT_PAUSED, "subject", ""));
            }
            case RAW -> {
                queue = SingleChronicleQueueBuilder.binary(dir.toFile())
                        .syncMode(durability == Durability.POWER_LOSS ? SyncMode.SYNC : SyncMode.NONE).build();
                appender = queue.createAppender();
                RecordCodec codec = new RecordCodec();
                codec.encode(JournalEvent.of(Instant.now(), EventType.AGENT_PAUSED, "subject", ""), 0);
                encoded = Arrays.copyOf(codec.buffer(), codec.length());
            }
        }
    }

    @Benchmark
    public void append() {
        switch (route) {
            case RUNTIME, RUNTIME_SPIN -> {
                pauseOrResume();
                while (counting.appended() < expected) {
                    Thread.onSpinWait();
                }
            }
            case PUBLISH -> pauseOrResume();
            case JOURNAL -> journal.append(single);
            case RAW -> {
                try (DocumentContext dc = appender.writingDocument()) {
                    dc.wire().bytes().write(encoded);
                }
                if (durability == Durability.POWER_LOSS) {
                    appender.sync();
                }
            }
        }
    }

    /** One event: AGENT_PAUSED or AGENT_RESUMED. */
    private void pauseOrResume() {
        if (paused) {
            subject.resume();
        } else {
            subject.pause();
        }
        paused = !paused;
        expected++;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (runtime != null) {
                runtime.flushJournal(Duration.ofSeconds(10));
                long appended = counting.appended();
                runtime.close();
                // one event per operation, no more: else the waits above ended on some other event
                if (appended != expected) {
                    throw new IllegalStateException("expected " + expected + " events appended, found " + appended);
                }
            }
            if (journal != null) {
                journal.close();
            }
            if (queue != null) {
                appender.close();
                queue.close();
            }
        } finally {
            BenchJournals.delete(dir);
        }
    }
}
