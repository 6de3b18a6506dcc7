package dev.myrmex.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples run, end, and print what they promise. */
class ExamplesTest {

    @Test
    void theTaskDagRunsWithARetryATimeoutAndACascade() throws Exception {
        String out = Captured.stdout(() -> dev.myrmex.examples.tasks.TaskDagExample.main(new String[0]));
        assertTrue(out.contains("task 1 load    SUCCEEDED attempts 2"), out);
        assertTrue(out.contains("task 4 report  SUCCEEDED attempts 1"), out);
        assertTrue(out.contains("result: {\"rows\":1000,\"task\":\"report\"}"), out);
        assertTrue(out.contains("task 5 slow    TIMEOUT   attempts 1"), out);
        assertTrue(out.contains("task 6 publish CANCELLED attempts 0 on -: not run: dependency 5 (slow) ended TIMEOUT"),
                out);
        assertTrue(out.contains("stages: VALIDATING > VALIDATING > LOADING > EXECUTING > FINALIZING > DONE"), out);
        assertTrue(out.contains("queue: 4 succeeded, 0 failed, 1 timed out, 1 cancelled, 0 pending"), out);
    }

    @Test
    void quickStartPrintsTheWakeUpAndTheStats() throws Exception {
        String out = Captured.stdout(() -> QuickStart.main(new String[0]));
        assertTrue(out.contains("pong woke on the sender's carrier"), out);
        assertTrue(out.contains("SchedulerStats[workers=2"), out);
    }

    @Test
    void schedulerDemoRunsSmallAndPrintsBothSchedulers() throws Exception {
        String out = Captured.stdout(() -> SchedulerDemo.main(
                new String[] {"--workers", "2", "--ring", "16", "--hops", "20000", "--spawn", "2000"}));
        assertTrue(out.contains("thread ring, per hop"), out);
        assertTrue(out.contains("spawn+join, per thread"), out);
        assertTrue(out.contains("Myrmex") && out.contains("JDK default"), out);
    }

    @Test
    void theAgentQuickStartAsksAndGetsTheTotal() throws Exception {
        String out = Captured.stdout(() -> AgentQuickStart.main(new String[0]));
        assertTrue(out.contains("total 25100000, state RUNNING"), out);
        assertTrue(out.contains("counted 2"), out);
    }

    @Test
    void pingPongBouncesTheBallAndReportsTheHopTime() throws Exception {
        String out = Captured.stdout(() -> PingPongExample.main(new String[] {"2000"}));
        assertTrue(out.contains("(direct style, a virtual thread each): 2,002 hops a rally"), out);
        assertTrue(out.contains("(handler style, turns on the carriers): 2,002 hops a rally"), out);
        assertTrue(out.contains("ns per hop (median of 5 rallies"), out);
        assertTrue(out.matches("(?s).*the (handler|direct) style is \\d+\\.\\d\\dx faster per hop than the"
                + " (direct|handler) style.*"), out);
        assertEquals(2.0, PingPongExample.median(new double[] {5, 1, 2}));
        assertEquals(1.5, PingPongExample.spread(new double[] {2, 3, 2.5}));
        var e = assertThrows(IllegalArgumentException.class, () -> PingPongExample.parse("0"));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
    }

    @Test
    void thePipelineDeliversEveryLineWithNoDeadLetters() throws Exception {
        String out = Captured.stdout(() -> PipelineExample.main(new String[] {"5000"}));
        assertTrue(out.contains("pipeline: 5,000 trades"), out);
        assertTrue(out.contains("dead letters: 0"), out);
    }

    @Test
    void thePoliciesExampleShowsEachPolicyAgainstNoPolicy() throws Exception {
        String out = Captured.stdout(() -> PoliciesExample.main(new String[] {"--seconds", "1", "--rate", "500"}));
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
        String out = Captured.stdout(() -> JournalExample.main(new String[] {"--dir", dir.toString(), "--accounts",
                "4"}));
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
        assertTrue(out.contains("the journal stays in " + dir), out);
        var e = assertThrows(IllegalArgumentException.class,
                () -> JournalExample.main(new String[] {"--accounts", "0"}));
        assertTrue(e.getMessage().contains("--accounts"), e.getMessage());
        String temporary = Captured.stdout(() -> JournalExample.main(new String[] {"--accounts", "1"}));
        java.util.regex.Matcher removed = java.util.regex.Pattern.compile("removed the temporary journal (\\S+)")
                .matcher(temporary);
        assertTrue(removed.find(), temporary);
        assertTrue(temporary.contains("balances as checkpointed: 1 of 1"), temporary);
        assertTrue(!Files.exists(Path.of(removed.group(1))), "left behind: " + removed.group(1));
    }

    @Test
    void supervisedWorkersCrashAndComeBackWithEveryOrderFilledOrCrashedOn() throws Exception {
        String out = Captured.stdout(() -> SupervisionExample.main(
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
    void theTradingSwarmTradesThroughCrashesAndItsRiskQuorum() throws Exception {
        String out = Captured.stdout(() -> dev.myrmex.examples.trading.TradingSwarm.main(new String[] {
            "--seconds", "3", "--rate", "50000", "--analyzers", "8", "--crash-every", "100"}));
        assertTrue(out.contains("8 analyzers (sharded by symbol), 5 risk checkers (majority quorum)"), out);
        assertTrue(out.contains("quotes/s") && out.contains("fill latency p50"), out);
        java.util.regex.Matcher done = java.util.regex.Pattern.compile(
                "([\\d,]+) quotes published, ([\\d,]+) analyzed").matcher(out);
        assertTrue(done.find(), out);
        assertEquals(done.group(1), done.group(2), "every quote analyzed despite the crashes: " + out);
        java.util.regex.Matcher chaos = java.util.regex.Pattern.compile(
                "([\\d,]+) analyzer crashes sent, ([\\d,]+) restarts").matcher(out);
        assertTrue(chaos.find(), out);
        assertTrue(Integer.parseInt(chaos.group(1).replace(",", "")) >= 10, out);
        assertEquals(chaos.group(1), chaos.group(2), "every crash restarted: " + out);
        assertTrue(out.matches("(?s).*risk quorum: [\\d,]+ rounds, [\\d,]+ approved.*"), out);
        var e = assertThrows(IllegalArgumentException.class,
                () -> dev.myrmex.examples.trading.TradingSwarm.main(new String[] {"--analyzers", "0"}));
        assertTrue(e.getMessage().contains("--analyzers") && e.getMessage().contains("'0'"), e.getMessage());
    }

    @Test
    void theSandboxedParserCrashesTwiceAndIsBroughtBackEachTime() throws Exception {
        String out = Captured.stdout(() -> dev.myrmex.examples.sandbox.SandboxedParser.main(new String[0]));
        assertTrue(out.contains("parsed 'the quick brown fox': 4 words"), out);
        assertTrue(out.contains("(restart 1) after: out-of-process agent parser"), out);
        assertTrue(out.contains("ran out of memory"), out);
        assertTrue(out.contains("(restart 2) after: out-of-process agent parser"), out);
        assertTrue(out.contains("asked to fail: throw"), out);
        assertTrue(out.contains("parsed 'and is parsed again': 4 words"), out);
        assertTrue(out.contains("restarts: 2, state RUNNING, messages lost with a dead child (dead letters): 1"), out);
    }

    @Test
    void theQuorumConsensusMeshDecidesAndGossipsEveryDecision() throws Exception {
        String out = Captured.stdout(() -> dev.myrmex.examples.consensus.QuorumConsensus.main(new String[] {
            "--rounds", "6", "--byzantine", "2", "--slow", "1"}));
        assertTrue(out.contains("10-node mesh (2 byzantine, 1 slow, 7 honest)"), out);
        assertTrue(out.contains("round  1  leader node-1  two-thirds needs  7/10"), out);
        assertTrue(out.contains("gossip reached 10/10"), out);
        assertTrue(out.contains("every node learned every decision exactly once: yes"), out);
        String tooMany = Captured.stdout(() -> dev.myrmex.examples.consensus.QuorumConsensus.main(new String[] {
            "--rounds", "2", "--byzantine", "4", "--slow", "0"}));
        // 6 honest of 10 cannot make two thirds (7): undecided, whether seen early (hopeless) or at the timeout
        assertTrue(tooMany.matches("(?s).*round  1  leader node-1  two-thirds needs  7/10: (NO_QUORUM|TIMED_OUT).*"),
                tooMany);
        var e = assertThrows(IllegalArgumentException.class, () -> dev.myrmex.examples.consensus.QuorumConsensus
                .main(new String[] {"--byzantine", "8", "--slow", "3"}));
        assertTrue(e.getMessage().contains("--byzantine 8") && e.getMessage().contains("--nodes 10"), e.getMessage());
    }

    @Test
    void schedulerDemoRejectsBadOptionsNamingThem() {
        var e = assertThrows(IllegalArgumentException.class, () -> SchedulerDemo.Options.parse(new String[] {"--rings",
                "3"}));
        assertTrue(e.getMessage().contains("--rings"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SchedulerDemo.Options.parse(new String[] {"--hops",
                "x"}));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SchedulerDemo.Options.parse(new String[] {"--ring"}));
        assertTrue(e.getMessage().contains("needs a value"), e.getMessage());
        assertEquals(503, SchedulerDemo.Options.parse(new String[0]).ring());
    }
}
