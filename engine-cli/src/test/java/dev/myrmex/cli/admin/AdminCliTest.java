package dev.myrmex.cli.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.admin.AdminConfig;
import dev.myrmex.admin.AdminServer;
import dev.myrmex.cli.MyrmexCli;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.task.TaskId;
import dev.myrmex.core.task.TaskStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command-line client against a real server: what a person at a terminal does, and what can go wrong. */
class AdminCliTest {
    @TempDir
    Path tmp;

    private AgentRuntime rt;
    private AdminServer admin;

    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void setUp() {
        rt = AgentRuntime.builder().workers(2).build();
        rt.start();
        for (int i = 1; i <= 2; i++) {
            rt.tasks().spawnWorker("demo-" + i, Set.of(), ServeCommand::demo);
        }
        admin = AdminServer.start(rt, AdminConfig.defaults().withPort(0));
    }

    @AfterEach
    void tearDown() {
        admin.close();
        rt.close();
    }

    private Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of("--url", admin.uri().toString(), "--token", admin.token()));
        all.addAll(List.of(args));
        return raw(all.toArray(String[]::new));
    }

    private static Run raw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = MyrmexCli.commandLine(); // through the launcher, as ./myrmex admin runs it
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] line = new String[args.length + 1];
        line[0] = "admin";
        System.arraycopy(args, 0, line, 1, args.length);
        int exit = cl.execute(line);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aDagSubmittedFromTheCommandLineIsWatchedToCompletion() throws Exception {
        Path dag = tmp.resolve("dag.json");
        Files.writeString(dag, """
                [{"key": "fetch", "name": "fetch", "input": {"ms": 1500}},
                 {"key": "resize", "name": "resize", "input": {"ms": 40}, "after": ["fetch"], "priority": 10},
                 {"key": "report", "name": "report", "input": {"ms": 40}, "after": ["resize"]}]""");
        Run r = cli("submit-batch", dag.toString(), "--wait");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().startsWith("1\n2\n3\n"), r.out());
        assertTrue(r.out().contains("3 of 3 succeeded"), r.out());
        assertTrue(r.out().contains("[3] report           SUCCEEDED DONE        100% ####################"), r.out());
        // fetch runs 1.5 s so that the watch's first look, right after the submission, finds resize and report
        // waiting even on a loaded machine (at 40 ms it once missed every waiting state)
        assertTrue(r.out().contains("waiting for 1 dependency"), r.out());
        for (long id = 1; id <= 3; id++) {
            assertEquals(TaskStatus.SUCCEEDED, rt.tasks().status(new TaskId(id)).orElseThrow().status());
        }
        Run list = cli("tasks", "--status", "succeeded");
        assertTrue(list.out().contains("resize") && list.out().contains("10"), list.out());
        Run run = cli("run", "2");
        assertTrue(run.out().contains("\"stage\" : \"EXECUTING\""), run.out());
        assertTrue(run.out().contains("resize ran with input"), run.out());
    }

    @Test
    void aFailedTaskEndsTheWaitWithExitOneAndItsReason() {
        Run r = cli("submit", "broken", "--input", "{\"fail\": true, \"ms\": 4}", "--retries", "1", "--wait");
        assertEquals(AdminCli.NOT_SUCCEEDED, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("0 of 1 succeeded"), r.out());
        assertTrue(r.out().contains("attempt 2 of 2 failed"), r.out());
    }

    @Test
    void cancelStatusQueueAgentsEventsAndMetricsWork() throws Exception {
        assertEquals(0, cli("queue", "pause").exit());
        long id = Long.parseLong(cli("submit", "later").out().strip());
        assertTrue(cli("status", String.valueOf(id)).out().contains("\"status\" : \"PENDING\""));
        Run cancel = cli("cancel", String.valueOf(id));
        assertEquals(0, cancel.exit(), cancel.err());
        assertTrue(cancel.out().contains("CANCELLED"), cancel.out());
        Run again = cli("cancel", String.valueOf(id));
        assertEquals(AdminCli.REFUSED, again.exit());
        assertTrue(again.err().contains("TASK_FINISHED (HTTP 409)") && again.err().contains("hint:"), again.err());
        assertTrue(cli("queue", "resume").out().contains("\"paused\" : false"));
        assertTrue(cli("agents").out().contains("demo-1"));
        assertTrue(cli("agent", "demo-1", "pause").out().contains("PAUSED"));
        assertTrue(cli("agent", "demo-1", "resume").out().contains("RUNNING"));
        Run oldOrder = cli("agent", "pause", "demo-1");
        assertEquals(CommandLine.ExitCode.USAGE, oldOrder.exit());
        assertTrue(oldOrder.err().contains("write the agent's name first: agent demo-1 pause"), oldOrder.err());
        Run noFactory = cli("agent", "x", "spawn");
        assertEquals(CommandLine.ExitCode.USAGE, noFactory.exit());
        Run unknownFactory = cli("agent", "x", "spawn", "--factory", "nope");
        assertEquals(AdminCli.REFUSED, unknownFactory.exit());
        assertTrue(unknownFactory.err().contains("UNKNOWN_FACTORY"), unknownFactory.err());
        Run events = cli("events", "--task", String.valueOf(id), "--type", "TASK_CANCELLED");
        assertTrue(events.out().contains("TASK_CANCELLED"), events.out() + events.err());
        assertTrue(cli("metrics").out().contains("\"queue\""));
        assertTrue(cli("metrics", "--prometheus").out().contains("# TYPE"));
    }

    @Test
    void aWrongTokenAnUnreachableServerAndBadArgumentsAreTold() throws Exception {
        Run wrong = raw("--url", admin.uri().toString(), "--token", "not-the-token-at-all", "queue");
        assertEquals(AdminCli.REFUSED, wrong.exit());
        assertTrue(wrong.err().contains("TOKEN_WRONG (HTTP 401)"), wrong.err());
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Run unreachable = raw("--url", "http://127.0.0.1:" + closed, "--token", "whatever-token-0000", "queue");
        assertEquals(AdminCli.UNREACHABLE, unreachable.exit());
        assertTrue(unreachable.err().contains("cannot reach the admin API"), unreachable.err());
        Run badJson = cli("submit", "x", "--input", "{nope");
        assertEquals(CommandLine.ExitCode.USAGE, badJson.exit());
        assertTrue(badJson.err().contains("--input is not valid JSON"), badJson.err());
        assertEquals(CommandLine.ExitCode.USAGE, cli("queue", "explode").exit());
        assertEquals(CommandLine.ExitCode.USAGE, cli("status").exit());
        Run taken = raw("serve", "--port", String.valueOf(admin.port()), "--demo-workers", "0");
        assertEquals(AdminCli.CANNOT_SERVE, taken.exit(), taken.out() + taken.err());
        assertTrue(taken.err().contains("cannot serve") && taken.err().contains("Port already in use"), taken.err());
        Run missing = cli("submit-batch", tmp.resolve("no-such.json").toString());
        assertEquals(CommandLine.ExitCode.USAGE, missing.exit());
        assertEquals("myrmex-admin: submit-batch: no file " + tmp.resolve("no-such.json"), missing.err().strip());
        Run unknown = cli("status", "999");
        assertEquals(AdminCli.REFUSED, unknown.exit());
        assertTrue(unknown.err().contains("TASK_NOT_FOUND (HTTP 404)"), unknown.err());
    }

    @Test
    void serveRunsARuntimeWithTheApiUntilInterrupted() throws Exception {
        StringWriter out = new StringWriter();
        CountDownLatch printed = new CountDownLatch(1);
        PrintWriter w = new PrintWriter(out, true) {
            @Override
            public void println(String x) {
                super.println(x);
                if (x.startsWith("Ctrl-C")) {
                    printed.countDown();
                }
            }
        };
        Path tokenFile = tmp.resolve("token");
        int[] exit = {-1};
        Thread server = Thread.ofPlatform().start(() -> {
            CommandLine cl = AdminCli.commandLine();
            cl.setOut(w);
            exit[0] = cl.execute("serve", "--port", "0", "--demo-workers", "1", "--token-file", tokenFile.toString(),
                    "--journal", tmp.resolve("journal").toString());
        });
        assertTrue(printed.await(60, TimeUnit.SECONDS), out.toString());
        Matcher m = Pattern.compile("admin API at (\\S+) ").matcher(out.toString());
        assertTrue(m.find(), out.toString());
        String token = Files.readString(tokenFile).strip();
        assertTrue(out.toString().contains("token: " + token + " (new at each start; choose one with --token)"
                + "; written to " + tokenFile), out.toString());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(tokenFile)));
        Run r = raw("--url", m.group(1), "--token", token, "submit", "hello", "--input", "{\"ms\": 4}", "--wait");
        assertEquals(0, r.exit(), r.out() + r.err());
        server.interrupt();
        server.join(Duration.ofSeconds(30));
        assertEquals(0, exit[0]);
    }
}
