package dev.myrmex.journal.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.InMemoryJournal;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.Severity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
}
