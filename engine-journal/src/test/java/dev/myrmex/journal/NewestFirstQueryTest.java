package dev.myrmex.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.myrmex.core.journal.Checkpoint;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.InMemoryJournal;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Newest-first queries read a journal a chunk at a time, across roll cycles: whatever the records, the cycles they
 * fall in and the filter, the answer is the one {@link InMemoryJournal}, the reference, gives for the same records.
 */
class NewestFirstQueryTest {
    private static final EventType[] TYPES = {EventType.AGENT_SPAWNED, EventType.AGENT_FAILED,
        EventType.DEAD_LETTER, EventType.CHECKPOINT_WRITTEN};

    @TempDir
    Path tmp;

    private final AtomicInteger journals = new AtomicInteger();

    @Test
    void queriesAcrossChunksAndCyclesMatchTheReference() {
        // per cycle: how many records (up to 2,500, so some cycles take several 1,024-record chunks); a seed
        qt().withExamples(25).forAll(lists().of(integers().between(0, 2_500)).ofSizeBetween(1, 4),
                integers().all()).checkAssert((perCycle, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    InMemoryJournal reference = new InMemoryJournal(20_000);
                    SetTimeProvider clock = new SetTimeProvider(Instant.parse("2026-11-21T10:00:00Z"));
                    Path dir = tmp.resolve("j" + journals.incrementAndGet());
                    try (ChronicleJournal j = ChronicleJournal.open(dir,
                            b -> b.rollCycle(TestRollCycles.TEST_SECONDLY).timeProvider(clock))) {
                        int n = 0;
                        for (int count : perCycle) {
                            List<JournalRecord> batch = new ArrayList<>();
                            for (int i = 0; i < count; i++, n++) {
                                batch.add(record(n, random));
                            }
                            j.append(batch);
                            reference.append(batch);
                            clock.advanceMillis(1_000); // the next batch goes into the next cycle's file
                        }
                        for (EventFilter f : filters(random)) {
                            int limit = 1 + random.nextInt(random.nextBoolean() ? 50 : 10_000);
                            assertEquals(reference.query(f, limit), j.query(f, limit), f + ", limit " + limit);
                        }
                    } finally {
                        TestFiles.deleteTree(dir);
                    }
                });
    }

    private static JournalRecord record(int n, SplittableRandom random) {
        Instant t = Instant.ofEpochSecond(1_800_000_000L + n);
        String agent = "agent-" + random.nextInt(5);
        if (random.nextInt(10) == 0) {
            return new Checkpoint(t, agent, "counter", "int64", new byte[] {(byte) n});
        }
        EventType type = TYPES[random.nextInt(TYPES.length)];
        return JournalEvent.of(t, type, agent, "event " + n);
    }

    private static List<EventFilter> filters(SplittableRandom random) {
        return List.of(EventFilter.ALL,
                EventFilter.ALL.types(TYPES[random.nextInt(TYPES.length)]),
                EventFilter.ALL.agent("agent-" + random.nextInt(5)),
                EventFilter.ALL.since(Instant.ofEpochSecond(1_800_000_000L + random.nextInt(5_000))));
    }
}
