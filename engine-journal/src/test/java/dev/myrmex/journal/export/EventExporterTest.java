package dev.myrmex.journal.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventJournal;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.InMemoryJournal;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalRecord;
import dev.myrmex.core.journal.Severity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

class EventExporterTest {
    private static final List<JournalEvent> EVENTS = List.of(
            new JournalEvent(Instant.parse("2026-11-21T10:00:00.123456789Z"), EventType.AGENT_FAILED, Severity.ERROR,
                    "a,b", "t-1", "boom: \"quoted\", comma\nnew line ✓"),
            new JournalEvent(Instant.parse("2026-11-21T10:00:01Z"), EventType.RUNTIME_STARTED, Severity.INFO, null,
                    null, ""),
            new JournalEvent(Instant.parse("2026-11-21T10:00:02Z"), EventType.DEAD_LETTER, Severity.WARNING, "x",
                    null, "tab\there, back\\slash, 😀"));

    private static InMemoryJournal journal() {
        InMemoryJournal j = new InMemoryJournal();
        j.append(EVENTS);
        return j;
    }

    private static String export(EventExporter.Format f, EventFilter filter) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventExporter.export(journal(), filter, f, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The fields of one JSON object, from a parser positioned on its start. */
    private static Map<String, String> object(JsonParser p) throws IOException {
        Map<String, String> m = new HashMap<>();
        while (p.nextToken() != JsonToken.END_OBJECT) {
            String name = p.currentName();
            p.nextToken();
            m.put(name, p.currentToken() == JsonToken.VALUE_NULL ? null : p.getText());
        }
        return m;
    }

    private static Map<String, String> fields(JournalEvent e) {
        Map<String, String> m = new HashMap<>();
        m.put("time", e.time().toString());
        m.put("type", e.type().name());
        m.put("severity", e.severity().name());
        m.put("agent", e.agent());
        m.put("task", e.task());
        m.put("details", e.details());
        return m;
    }

    @Test
    void jsonLinesCarryEveryFieldOneObjectALine() throws IOException {
        String text = export(EventExporter.Format.JSONL, EventFilter.ALL);
        List<String> lines = text.lines().toList();
        assertEquals(3, lines.size(), text);
        for (int i = 0; i < 3; i++) {
            try (JsonParser p = new JsonFactory().createParser(lines.get(i))) {
                assertEquals(JsonToken.START_OBJECT, p.nextToken());
                assertEquals(fields(EVENTS.get(i)), object(p));
            }
        }
    }

    @Test
    void jsonIsOneArray() throws IOException {
        List<Map<String, String>> read = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(export(EventExporter.Format.JSON, EventFilter.ALL))) {
            assertEquals(JsonToken.START_ARRAY, p.nextToken());
            while (p.nextToken() == JsonToken.START_OBJECT) {
                read.add(object(p));
            }
            assertEquals(JsonToken.END_ARRAY, p.currentToken());
        }
        assertEquals(EVENTS.stream().map(EventExporterTest::fields).toList(), read);
    }

    @Test
    void csvHasAHeaderAndQuotesWhatNeedsIt() throws IOException {
        String text = export(EventExporter.Format.CSV, EventFilter.ALL.minSeverity(Severity.WARNING));
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(text)).getRecords();
        assertEquals(2, rows.size());
        assertEquals("boom: \"quoted\", comma\nnew line ✓", rows.get(0).get("details"));
        assertEquals("a,b", rows.get(0).get("agent"));
        assertEquals("", rows.get(1).get("task"));
        assertEquals("2026-11-21T10:00:00.123456789Z", rows.get(0).get("time"));
        assertTrue(text.startsWith("time,type,severity,agent,task,details\r\n"), text);
    }

    @Test
    void formatsAreNamedInAnyCaseAndAWrongOneSaysWhich() {
        assertEquals(EventExporter.Format.JSONL, EventExporter.Format.parse(" JsonL "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventExporter.Format.parse("xml"));
        assertTrue(e.getMessage().contains("'xml'") && e.getMessage().contains("jsonl, csv or json"));
    }

    /** Events made as they are read: a journal of any size that holds nothing. */
    static final class Generated implements EventJournal {
        private final long count;

        Generated(long count) {
            this.count = count;
        }

        @Override
        public void forEach(EventFilter filter, Consumer<? super JournalEvent> sink) {
            for (long i = 0; i < count; i++) {
                sink.accept(new JournalEvent(Instant.ofEpochSecond(1_700_000_000L + i / 1000), EventType.AGENT_SPAWNED,
                        Severity.INFO, "agent-" + i, null, "event number " + i + ", with a comma"));
            }
        }

        @Override
        public void append(List<? extends JournalRecord> batch) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public void replay(Consumer<? super JournalRecord> sink) {
            forEach(EventFilter.ALL, sink::accept);
        }

        @Override
        public List<JournalEvent> query(EventFilter filter, int limit) {
            throw new UnsupportedOperationException("export only");
        }

        @Override
        public void close() {
        }
    }

    /** Run in a child JVM with a 48 MB heap: exports 10 million events in each format to nowhere. */
    public static void main(String[] args) {
        long n = Long.parseLong(args[0]);
        for (EventExporter.Format f : EventExporter.Format.values()) {
            long[] bytes = {0};
            OutputStream nowhere = new OutputStream() {
                @Override
                public void write(int b) {
                    bytes[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes[0] += len;
                }
            };
            long exported = EventExporter.export(new Generated(n), EventFilter.ALL, f, nowhere);
            System.out.println(f + " " + exported + " " + bytes[0]);
        }
    }

    @Test
    void tenMillionEventsExportUnderA48MegabyteHeap() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m", "-cp", System.getProperty("java.class.path"), EventExporterTest.class.getName(),
                "10000000"));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-"))
                .forEach(a -> cmd.add(1, a));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertEquals(3, lines.size(), out);
        for (String l : lines) {
            String[] f = l.split(" ");
            assertEquals("10000000", f[1], l);
            assertTrue(Long.parseLong(f[2]) > 10_000_000L * 60, "bytes written: " + l); // ~100 bytes an event
        }
    }
}
