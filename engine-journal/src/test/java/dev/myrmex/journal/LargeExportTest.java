package dev.myrmex.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.Severity;
import dev.myrmex.journal.export.EventExporter;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export streams: a real Chronicle journal of 10 million events is written and exported in every format by a
 * child JVM with a 48 MB heap, about a thirtieth of what the events take as objects (some 1.5 GB), so an export that
 * held them, or a read that listed them, runs out of memory. With {@code ChronicleJournal.forEach} made to collect
 * the events into a list before it hands them on, the child ends with an OutOfMemoryError.
 */
class LargeExportTest {
    private static final long EVENTS = 10_000_000;
    private static final int BATCH = 10_000;

    @TempDir
    Path tmp;

    static JournalEvent event(long i) {
        return new JournalEvent(Instant.ofEpochSecond(1_700_000_000L + i / 1000), EventType.AGENT_SPAWNED,
                Severity.INFO, "agent-" + i, null, "event number " + i + ", with a comma");
    }

    /**
     * Run in the child JVM: writes {@code args[0]} events to a new journal at {@code args[1]}, then exports them in
     * each format to a sink that counts bytes and lines and keeps the last line; prints one line a format.
     */
    public static void main(String[] args) {
        long n = Long.parseLong(args[0]);
        Path dir = Path.of(args[1]);
        try (ChronicleJournal j = ChronicleJournal.open(dir, Durability.PROCESS_CRASH)) {
            List<JournalEvent> batch = new ArrayList<>(BATCH);
            for (long i = 0; i < n; i++) {
                batch.add(event(i));
                if (batch.size() == BATCH || i == n - 1) {
                    j.append(batch);
                    batch.clear();
                }
            }
        }
        try (ChronicleJournal j = ChronicleJournal.openExisting(dir)) {
            for (EventExporter.Format f : EventExporter.Format.values()) {
                Counting sink = new Counting();
                long exported = EventExporter.export(j, EventFilter.ALL, f, sink);
                System.out.println(f + " " + exported + " " + sink.bytes + " " + sink.lines + " " + sink.lastLine());
            }
        }
        System.out.println("heap " + Runtime.getRuntime().maxMemory());
    }

    /** Counts what is written, keeping the end (at most 400 characters) of the line being written and of the last. */
    private static final class Counting extends OutputStream {
        long bytes;
        long lines;
        private final StringBuilder line = new StringBuilder();
        private String last = "";

        @Override
        public void write(int b) {
            bytes++;
            if (b == '\n') {
                lines++;
                last = line.toString();
                line.setLength(0);
            } else {
                line.append((char) b);
                if (line.length() > 800) {
                    line.delete(0, 400);
                }
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        String lastLine() {
            return line.isEmpty() ? last : line.toString();
        }
    }

    @Test
    void tenMillionEventsOfARealJournalExportUnderA48MegabyteHeap() throws Exception {
        Process p = new ProcessBuilder(ChildJvm.command("48m", LargeExportTest.class, Long.toString(EVENTS),
                tmp.resolve("journal").toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), out);
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(4, lines.size(), out);
        assertTrue(Long.parseLong(lines.get(3).split(" ")[1]) <= 64L << 20, "the child's heap: " + lines.get(3));
        String lastEvent = "event number " + (EVENTS - 1) + ", with a comma";
        for (String l : lines.subList(0, 3)) {
            String[] f = l.split(" ", 5);
            assertEquals(Long.toString(EVENTS), f[1], l);
            assertTrue(Long.parseLong(f[2]) > EVENTS * 60, "bytes written: " + l); // ~100 bytes an event
            assertTrue(f[4].contains(lastEvent), "the last event is last: " + l);
            switch (EventExporter.Format.valueOf(f[0])) {
                case JSONL -> assertEquals(EVENTS, Long.parseLong(f[3]), "a line an event: " + l);
                case CSV -> assertEquals(EVENTS + 1, Long.parseLong(f[3]), "a header, then a line an event: " + l);
                case JSON -> assertTrue(Long.parseLong(f[3]) <= EVENTS + 1, l);
                default -> throw new AssertionError(l);
            }
        }
    }
}
