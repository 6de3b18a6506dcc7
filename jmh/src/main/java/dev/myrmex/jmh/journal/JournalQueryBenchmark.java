package dev.myrmex.jmh.journal;

import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventJournal;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalRecord;
import dev.myrmex.journal.ChronicleJournal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * A query of {@value EventJournal#MAX_QUERY} events out of a {@link ChronicleJournal} of {@value #EVENTS} (goal: under
 * 100 ms), newest first, in milliseconds per query. The events cycle through ten agents and four types.
 * <ul>
 *   <li>{@code ALL}: the newest 10,000 of all;</li>
 *   <li>{@code TYPE}: of one type (a quarter match, so 40,000 records are read);</li>
 *   <li>{@code AGENT}: of one agent (a tenth match, so all 100,000 are read to find the 10,000).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JournalQueryBenchmark {
    static final int EVENTS = 100_000;
    private static final EventType[] TYPES = {EventType.AGENT_SPAWNED, EventType.AGENT_STOPPED, EventType.AGENT_FAILED,
        EventType.DEAD_LETTER};

    /** What the query selects. */
    public enum Selection { ALL, TYPE, AGENT }

    @Param({"ALL", "TYPE", "AGENT"})
    public Selection selection;

    private Path dir;
    private ChronicleJournal journal;
    private EventFilter filter;

    @Setup(Level.Trial)
    public void setUp() {
        dir = BenchJournals.scratch("myrmex-jmh-query");
        journal = ChronicleJournal.open(dir);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        List<JournalRecord> batch = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            batch.add(JournalEvent.of(start.plusMillis(i), TYPES[i % TYPES.length], "agent-" + (i % 10),
                    "event " + i));
            if (batch.size() == 1_000) {
                journal.append(batch);
                batch.clear();
            }
        }
        filter = switch (selection) {
            case ALL -> EventFilter.ALL;
            case TYPE -> EventFilter.ALL.types(EventType.AGENT_FAILED);
            case AGENT -> EventFilter.ALL.agent("agent-3");
        };
        int found = query().size();
        if (found != EventJournal.MAX_QUERY) {
            throw new IllegalStateException("the query found " + found + " events, not " + EventJournal.MAX_QUERY);
        }
    }

    @Benchmark
    public List<JournalEvent> query() {
        return journal.query(filter, EventJournal.MAX_QUERY);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            journal.close();
        } finally {
            BenchJournals.delete(dir);
        }
    }
}
