package dev.myrmex.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples run, end, and print what they promise. */
class ExamplesTest {

    @Test
    void quickStartPrintsTheWakeUpAndTheStats() throws Exception {
        String out = captureStdout(() -> QuickStart.main(new String[0]));
        assertTrue(out.contains("pong woke on the sender's carrier"), out);
        assertTrue(out.contains("SchedulerStats[workers=2"), out);
    }

    @Test
    void schedulerDemoRunsSmallAndPrintsBothSchedulers() throws Exception {
        String out = captureStdout(() -> SchedulerDemo.main(
                new String[] {"--workers", "2", "--ring", "16", "--hops", "20000", "--spawn", "2000"}));
        assertTrue(out.contains("thread ring, per hop"), out);
        assertTrue(out.contains("spawn+join, per thread"), out);
        assertTrue(out.contains("Myrmex") && out.contains("JDK default"), out);
    }

    @Test
    void theAgentQuickStartAsksAndGetsTheTotal() throws Exception {
        String out = captureStdout(() -> AgentQuickStart.main(new String[0]));
        assertTrue(out.contains("total 25100000, state RUNNING"), out);
        assertTrue(out.contains("counted 2"), out);
    }

    @Test
    void pingPongBouncesTheBallAndReportsTheHopTime() throws Exception {
        String out = captureStdout(() -> PingPongExample.main(new String[] {"2000"}));
        assertTrue(out.contains("(direct style, a virtual thread each): 2,002 hops"), out);
        assertTrue(out.contains("(handler style, turns on the carriers): 2,002 hops"), out);
        assertTrue(out.contains("ns per hop"), out);
        var e = assertThrows(IllegalArgumentException.class, () -> PingPongExample.parse("0"));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
    }

    @Test
    void thePipelineDeliversEveryLineWithNoDeadLetters() throws Exception {
        String out = captureStdout(() -> PipelineExample.main(new String[] {"5000"}));
        assertTrue(out.contains("pipeline: 5,000 trades"), out);
        assertTrue(out.contains("dead letters: 0"), out);
    }

    @Test
    void thePoliciesExampleShowsEachPolicyAgainstNoPolicy() throws Exception {
        String out = captureStdout(() -> PoliciesExample.main(new String[] {"--seconds", "1", "--rate", "500"}));
        assertTrue(out.contains("DIRECT     CRITICAL latency p50"), out);
        assertTrue(out.contains("PRIORITY   CRITICAL latency p50"), out);
        assertTrue(out.contains("FAIR_SHARE CRITICAL latency p50"), out);
        assertTrue(out.contains("RATE_BASED (burst 25) took per second:"), out);
        assertTrue(out.contains("FAIR_SHARE processing time heavy"), out);
        var e = assertThrows(IllegalArgumentException.class,
                () -> PoliciesExample.main(new String[] {"--rate", "0"}));
        assertEquals("--rate must be a whole number of at least 1, got '0'", e.getMessage());
    }

    @Test
    void theJournalExampleRecoversEveryAccountAfterASigkill(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("journal");
        String out = captureStdout(() -> JournalExample.main(new String[] {"--dir", dir.toString(), "--accounts", "4"}));
        assertTrue(out.contains("child checkpointed 4 accounts, deposited on, and was killed with SIGKILL"), out);
        assertTrue(out.contains("recovered 4 agents from"), out);
        assertTrue(out.contains("balances as checkpointed: 4 of 4"), out);
        assertTrue(out.contains("account-3: balance 80,200 from the checkpoint"), out); // 1 + 2 + ... + 400
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("exported ([0-9,]+) events to (.*)").matcher(out);
        assertTrue(m.find(), out);
        long lines;
        try (var l = Files.lines(Path.of(m.group(2).trim()))) {
            lines = l.count();
        }
        assertEquals(Long.parseLong(m.group(1).replace(",", "")), lines);
        assertTrue(lines >= 8, "at least a spawn and a recovery per account: " + lines);
        var e = assertThrows(IllegalArgumentException.class,
                () -> JournalExample.main(new String[] {"--accounts", "0"}));
        assertTrue(e.getMessage().contains("--accounts"), e.getMessage());
    }

    @Test
    void supervisedWorkersCrashAndComeBackWithEveryOrderFilledOrCrashedOn() throws Exception {
        String out = captureStdout(() -> SupervisionExample.main(
                new String[] {"--seconds", "2", "--workers", "4", "--metrics-port", "0"}));
        assertTrue(out.contains("metrics: curl http://127.0.0.1:"), out);
        assertTrue(out.contains("other dead letters 0, escalations 0, tree RUNNING"), out);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "([0-9,]+) orders sent, ([0-9,]+) filled, ([0-9,]+) crashed on .*, ([0-9,]+) restarts").matcher(out);
        assertTrue(m.find(), out);
        long sent = Long.parseLong(m.group(1).replace(",", ""));
        long filled = Long.parseLong(m.group(2).replace(",", ""));
        long crashed = Long.parseLong(m.group(3).replace(",", ""));
        assertTrue(crashed > 0, "no worker crashed: " + out);
        assertEquals(sent, filled + crashed, out);
        assertEquals(crashed, Long.parseLong(m.group(4).replace(",", "")), "one restart per crash: " + out);
        var e = assertThrows(IllegalArgumentException.class, () -> SupervisionExample.parsePort("70000"));
        assertTrue(e.getMessage().contains("70000"), e.getMessage());
    }

    @Test
    void schedulerDemoRejectsBadOptionsNamingThem() {
        var e = assertThrows(IllegalArgumentException.class, () -> SchedulerDemo.Options.parse(new String[] {"--rings", "3"}));
        assertTrue(e.getMessage().contains("--rings"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SchedulerDemo.Options.parse(new String[] {"--hops", "x"}));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SchedulerDemo.Options.parse(new String[] {"--ring"}));
        assertTrue(e.getMessage().contains("needs a value"), e.getMessage());
        assertEquals(503, SchedulerDemo.Options.parse(new String[0]).ring());
    }

    interface Body {
        void run() throws Exception;
    }

    private static synchronized String captureStdout(Body body) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
