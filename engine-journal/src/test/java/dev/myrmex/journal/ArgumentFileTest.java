package dev.myrmex.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.Val;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.JournalSettings;
import dev.myrmex.core.journal.Severity;
import dev.myrmex.testkit.Await;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * engine-journal's argument file, {@code META-INF/myrmex/engine-journal.args}, is all a JVM needs to run a runtime on a
 * Chronicle journal: a child JVM started with {@code java @engine-journal.args} and nothing else journals and reads
 * back, printing no JVM warning and no Chronicle banner.
 */
class ArgumentFileTest {
    record Ping() implements Val {
    }

    /** Run in the child JVM: a runtime on a journal in {@code args[0]}, one agent, its events read back. */
    public static final class Journalled {
        public static void main(String[] args) throws Exception {
            try (ChronicleJournal journal = ChronicleJournal.open(Path.of(args[0]))) {
                try (AgentRuntime rt = AgentRuntime.builder().workers(1).journal(journal)
                        .journalSettings(JournalSettings.DEFAULTS.withSeverity(Severity.DEBUG)).build()) {
                    rt.start();
                    rt.spawn("pinged", Behaviors.<Ping>nonBlocking((ctx, m) -> { })).ref().signal(new Ping());
                    if (!rt.flushJournal(Duration.ofSeconds(30))) {
                        throw new IllegalStateException("the journal did not flush");
                    }
                }
                // its spawn, at least: a DEBUG event, journalled before the flush returned
                System.out.println("JOURNALLED " + journal.query(EventFilter.ALL.agent("pinged"), 100).size());
            }
        }
    }

    @Test
    void theJournalsArgumentFileIsAllAJvmNeeds(@TempDir Path dir) throws Exception {
        URL args = ArgumentFileTest.class.getClassLoader().getResource("META-INF/myrmex/engine-journal.args");
        assertNotNull(args, "engine-journal's classes carry no META-INF/myrmex/engine-journal.args");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(List.of(java, "@" + Path.of(args.toURI()), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), Journalled.class.getName(), dir.resolve("journal").toString()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(Await.WATCHDOG.toSeconds(), TimeUnit.SECONDS), "the child JVM did not end");
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), stdout + stderr);
        assertTrue(stdout.strip().matches("JOURNALLED [1-9][0-9]*"), "only the answer, no banner: " + stdout);
        for (String line : stderr.lines().toList()) {
            assertTrue(!line.contains("WARNING") && !line.contains("Exception"), "on the error stream: " + line
                    + "\n" + stderr);
        }
    }
}
