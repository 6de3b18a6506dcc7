package dev.myrmex.cli.admin;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.cli.MyrmexCli;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The case of issue 19: a second {@code serve --journal DIR} on a journal another process serves started silently, and
 * both ran the same tasks. Now it fails at once, naming the other process, and serves once that one is gone.
 */
class ServeJournalLockTest {
    @TempDir
    Path tmp;

    @Test
    void aSecondServeOfOneJournalFailsAtOnceNamingTheFirstAndServesOnceItIsKilled() throws Exception {
        Path journal = tmp.resolve("journal");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--") || a.startsWith("-Dchronicle.")).forEach(cmd::add);
        cmd.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), MyrmexCli.class.getName(), "admin", "serve", "--port", "0",
                "--demo-workers", "1", "--journal", journal.toString()));
        Process first = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("Ctrl-C")) {
                // until the first server is up
            }
            assertTrue(line != null, "the first server did not start");

            int[] exit = {-1};
            StringWriter err = new StringWriter();
            Thread second = Thread.ofPlatform().start(() -> {
                CommandLine cl = AdminCli.commandLine();
                cl.setOut(new PrintWriter(new StringWriter(), true));
                cl.setErr(new PrintWriter(err, true));
                exit[0] = cl.execute("serve", "--port", "0", "--demo-workers", "1", "--journal", journal.toString());
            });
            second.join(WATCHDOG); // a serve that starts runs until interrupted: this one must not
            assertFalse(second.isAlive(), "the second serve started on a journal in use");
            assertEquals(AdminCli.CANNOT_SERVE, exit[0], err.toString());
            assertTrue(err.toString().contains("in use by process " + first.pid()), err.toString());

            first.destroyForcibly(); // SIGKILL: its lock goes with it
            assertTrue(first.waitFor(60, TimeUnit.SECONDS));
            StringWriter third = new StringWriter();
            CountDownLatch serving = new CountDownLatch(1);
            PrintWriter w = new PrintWriter(third, true) {
                @Override
                public void println(String x) {
                    super.println(x);
                    if (x.startsWith("Ctrl-C")) {
                        serving.countDown();
                    }
                }
            };
            Thread again = Thread.ofPlatform().start(() -> {
                CommandLine cl = AdminCli.commandLine();
                cl.setOut(w);
                exit[0] = cl.execute("serve", "--port", "0", "--demo-workers", "1", "--journal", journal.toString());
                serving.countDown(); // ended: the assertion below says how
            });
            assertTrue(serving.await(60, TimeUnit.SECONDS));
            assertTrue(third.toString().contains("Ctrl-C"), "serve after the holder died: " + third + " exit "
                    + exit[0]);
            again.interrupt();
            again.join(Duration.ofSeconds(30));
            assertEquals(0, exit[0]);
        } finally {
            first.destroyForcibly();
        }
    }
}
