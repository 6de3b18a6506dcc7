package dev.myrmex.journal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.myrmex.core.journal.Checkpoint;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalRecord;
import dev.myrmex.core.journal.Severity;
import dev.myrmex.core.journal.TaskSubmission;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class RecordCodecTest {
    /**
     * Any text, multi-byte and supplementary characters included. A lone surrogate has no UTF-8 form and is stored as
     * '?' (as {@code String.getBytes} does): the generator's strings are passed through UTF-8 once to match.
     */
    private static final Gen<String> TEXT = strings().betweenCodePoints(0, 0xD7FF).ofLengthBetween(0, 30)
            .zip(strings().betweenCodePoints(0x10000, 0x10FFFF).ofLengthBetween(0, 5), String::concat)
            .map(s -> new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    /** Task submissions of every shape: requeued or not, with and without a timeout, each kind of input. */
    private static final Gen<JournalRecord> TASKS = longs().between(1, Long.MAX_VALUE).zip(TEXT,
            integers().between(0, 5_000), (id, name, n) -> {
                List<Long> deps = java.util.stream.LongStream.range(0, n % 6).map(i -> id / (i + 2) + 1).boxed()
                        .toList();
                java.time.Duration timeout = n % 3 == 0 ? null : java.time.Duration.ofSeconds(id % 100_000, n);
                int input = n % 4;
                return (JournalRecord) new TaskSubmission(Instant.ofEpochSecond(id % 4_000_000_000L, n), id,
                        n % 2 == 1, name, n - 2_500, deps, timeout, n % 7, input == 1 ? "codec-" + name : null,
                        input == 1 ? name.getBytes(StandardCharsets.UTF_8) : null, input == 2 ? "why " + name : null);
            });
    private static final Gen<JournalRecord> RECORDS = integers().between(0, 2).flatMap(kind -> kind == 2 ? TASKS
            : kind == 0
            ? longs().between(0, 4_000_000_000L).zip(integers().between(0, 999_999_999),
                    arbitrary().enumValues(EventType.class), TEXT, (s, n, t, d) -> (JournalRecord)
                            new JournalEvent(Instant.ofEpochSecond(s, n), t, t.severity(), d.isEmpty() ? null : d,
                                    n % 2 == 0 ? null : "t" + n, d))
            : TEXT.zip(integers().between(0, 300), (name, size) -> {
                byte[] state = name.repeat(3).getBytes(StandardCharsets.UTF_8);
                return (JournalRecord) new Checkpoint(Instant.ofEpochMilli(size * 1_000_003L), "agent-" + name,
                        "factory", "codec-" + size, Arrays.copyOf(state, Math.min(state.length, size)));
            }));

    @Test
    void everyRecordComesBackAsItWasWrittenWithItsSequenceNumber() {
        RecordCodec codec = new RecordCodec();
        qt().withExamples(2_000).forAll(RECORDS, longs().between(0, Long.MAX_VALUE)).checkAssert((r, seq) -> {
            codec.encode(r, seq);
            byte[] copy = Arrays.copyOf(codec.buffer(), codec.length());
            JournalRecord back;
            RecordCodec reader = new RecordCodec();
            try {
                back = reader.decode(copy, copy.length, EventFilter.ALL);
            } catch (RuntimeException e) {
                throw new AssertionError("decode threw " + e + " for " + escaped(r), e);
            }
            assertEquals(escaped(r), escaped(back));
            assertEquals(r, back, () -> escaped(r)); // every field, a task's input bytes by value
            assertEquals(seq, reader.sequence());
            assertEquals(seq, new RecordCodec().check(copy, copy.length));
        });
    }

    /** The record's text with control characters escaped: a failure report must show what the record was. */
    private static String escaped(JournalRecord r) {
        StringBuilder b = new StringBuilder();
        r.toString().codePoints().forEach(c -> b.append(c < 0x20 || c > 0x7e ? String.format("\\u{%x}", c)
                : Character.toString(c)));
        return b.toString();
    }

    @Test
    void anyChangedByteIsCaughtNeverReadAsAnotherRecord() {
        RecordCodec codec = new RecordCodec();
        qt().withExamples(2_000).forAll(RECORDS, integers().between(0, Integer.MAX_VALUE),
                integers().between(1, 255)).checkAssert((r, where, xor) -> {
                    codec.encode(r, where);
                    byte[] copy = Arrays.copyOf(codec.buffer(), codec.length());
                    copy[where % copy.length] ^= (byte) (int) xor;
                    assertThrows(RecordCodec.DamagedRecordException.class,
                            () -> codec.decode(copy, copy.length, EventFilter.ALL));
                    assertThrows(RecordCodec.DamagedRecordException.class, () -> codec.check(copy, copy.length));
                });
    }

    @Test
    void aFilteredOutEventDecodesToNull() {
        RecordCodec codec = new RecordCodec();
        JournalEvent e = new JournalEvent(Instant.EPOCH, EventType.AGENT_STARTED, Severity.DEBUG, "a", null, "");
        codec.encode(e, 7);
        assertEquals(null, codec.decode(codec.buffer(), codec.length(), EventFilter.ALL.minSeverity(Severity.INFO)));
        assertEquals(null, codec.decode(codec.buffer(), codec.length(), EventFilter.ALL.agent("b")));
        assertEquals(7, codec.sequence(), "a filtered-out record still has its number");
        assertEquals(e, codec.decode(codec.buffer(), codec.length(), EventFilter.ALL.agent("a")));
    }

    /** Journals on disk store a type's position: this list may only grow at its end. */
    @Test
    void eventTypesKeepTheirStoredPositions() {
        assertEquals(List.of("RUNTIME_STARTED", "RUNTIME_STOPPED", "AGENT_SPAWNED", "AGENT_STARTED", "AGENT_PAUSED",
                "AGENT_RESUMED", "AGENT_STOPPED", "AGENT_FAILED", "AGENT_RESTARTED", "MAILBOX_OVERFLOW",
                "DEAD_LETTER", "CHECKPOINT_WRITTEN", "EVENTS_DROPPED", "AGENT_RECOVERED", "AGENT_NOT_RECOVERED",
                "AGENT_RETIRED", "LEASE_ACQUIRED", "LEASE_RENEWED", "LEASE_RELEASED", "LEASE_EXPIRED",
                "TASK_SUBMITTED", "TASK_STARTED", "TASK_RETRYING", "TASK_SUCCEEDED", "TASK_FAILED", "TASK_TIMED_OUT",
                "TASK_CANCELLED", "TASK_REQUEUED", "TASK_WORKER_STUCK", "AGENT_STUCK",
                "LEASE_TOKENS_RESERVED"),
                Arrays.stream(EventType.values()).map(Enum::name).toList());
        assertEquals(List.of("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"),
                Arrays.stream(Severity.values()).map(Enum::name).toList());
    }
}
