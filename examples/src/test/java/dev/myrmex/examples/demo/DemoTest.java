package dev.myrmex.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.examples.BadArgumentsException;
import dev.myrmex.examples.Captured;
import dev.myrmex.journal.ChronicleJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./myrmex demo}: the swarm runs journalled and served, a line a second, and a closing screen that adds up. */
class DemoTest {
    @Test
    void theSwarmRunsJournalledWithALineASecondAndAClosingScreen(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("journal");
        String out = Captured.stdout(() -> Demo.main(new String[] {"--seconds", "3", "--journal", dir.toString()}));
        assertTrue(out.contains("Myrmex demo: a trading swarm for 3 s, journalled to " + dir), out);
        Matcher api = Pattern.compile("management API at (http://127\\.0\\.0\\.1:\\d+)").matcher(out);
        assertTrue(api.find(), out);
        assertTrue(out.contains("export MYRMEX_ADMIN_URL=" + api.group(1) + " MYRMEX_ADMIN_TOKEN="), out);
        Matcher second = Pattern.compile(" +(\\d+) s  agents +(\\d+)  messages +[\\d,]+/s  restarts +[\\d,]+  dead"
                + " letters +[\\d,]+  journal records +[\\d,]+  health (UP|DEGRADED|DOWN)").matcher(out);
        int lines = 0;
        while (second.find()) {
            lines++;
            assertEquals(lines, Integer.parseInt(second.group(1)), out);
            assertEquals(27, Integer.parseInt(second.group(2)), "every agent runs while the feeds do: " + out);
        }
        assertTrue(lines >= 1, "no line a second: " + out);
        Matcher closing = Pattern.compile("What ran: one runtime, 27 agents .*: ([\\d,]+) messages, ([\\d,]+) restarts"
                + " by supervision, ([\\d,]+) dead letters").matcher(out);
        assertTrue(closing.find(), out);
        long restarts = Long.parseLong(closing.group(2).replace(",", ""));
        assertTrue(restarts >= 1, "an analyzer crashes every 250 ms and is restarted: " + out);
        assertTrue(out.contains("./myrmex journal query " + dir + " --type AGENT_RESTARTED"), out);
        assertTrue(out.contains("./myrmex demo --keep"), out);
        assertTrue(out.contains("  1 s  agents") && out.contains("(warming up)"), out);
        assertTrue(out.contains("Throughput after the first second: a median of"), out);
        try (ChronicleJournal journal = ChronicleJournal.openExisting(dir)) { // what the closing screen points to
            int journalled = journal.query(EventFilter.ALL.types(EventType.AGENT_RESTARTED), 10_000).size();
            assertTrue(journalled >= restarts, "every restart counted is in the journal (a late one too): "
                    + journalled + " of " + restarts);
        }
    }

    @Test
    void theThroughputLeavesOutTheWarmUpAndSaysWhenTheSecondsVariedTooMuch() {
        assertTrue(Demo.throughput(List.of()).contains("too short"));
        String steady = Demo.throughput(List.of(100_000.0, 110_000.0, 105_000.0));
        assertTrue(steady.contains("a median of 105,000 messages a second") && !steady.contains("busy"), steady);
        String noisy = Demo.throughput(List.of(100_000.0, 300_000.0, 105_000.0));
        assertTrue(noisy.contains("varied by up to 200%: the machine is busy"), noisy);
    }

    @Test
    void aJournalDirectoryInUseIsRefused(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("something"), "mine");
        BadArgumentsException e = assertThrows(BadArgumentsException.class,
                () -> Demo.main(new String[] {"--journal", tmp.toString()}));
        assertTrue(e.getMessage().contains("is not empty"), e.getMessage());
        assertEquals("mine", Files.readString(tmp.resolve("something")), "nothing of the user's is touched");
    }
}
