package dev.myrmex.core;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.internal.CrashLog;
import dev.myrmex.core.resilience.Backoff;
import dev.myrmex.core.supervision.RestartPolicy;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.core.time.RuntimeClock;
import dev.myrmex.testkit.Await;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Agents' failures are visible by default: logged at WARN through SLF4J with the cause, once per agent and then as a
 * count per window. The log is read where a user reads it: the test classpath's real SLF4J binding (slf4j-simple, at
 * WARN, see src/test/resources) writes to {@code System.err}, which this test captures (and still passes through).
 */
class CrashLoggingTest {
    record Cmd(int n) implements Val {
    }

    private final RuntimeClock.Manual clock = RuntimeClock.manual();
    private final AgentRuntime rt = AgentRuntime.builder().workers(2).clock(clock).build();
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureStandardError() {
        originalErr = System.err;
        PrintStream through = originalErr;
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                captured.write(b);
                through.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                captured.write(b, off, len);
                through.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        try {
            rt.stopNow(WATCHDOG);
        } finally {
            System.setErr(originalErr);
        }
    }

    private String log() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** Lines of the failure logger about {@code agent}, at WARN. */
    private long warnings(String agent) {
        return log().lines().filter(l -> l.contains("WARN " + CrashLog.LOGGER + " - agent " + agent + " ")).count();
    }

    private static void blowUp(Message<Cmd> m) {
        throw new IllegalStateException("kaboom " + m.payload().n());
    }

    @ParameterizedTest(name = "style={0}")
    @ValueSource(strings = {"direct", "nonBlocking"})
    void anUnsupervisedAgentsFailureIsAWarningWithItsStackTrace(String style) throws Exception {
        rt.start();
        Behavior<Cmd> b = style.equals("direct") ? ctx -> blowUp(ctx.receive())
                : Behaviors.nonBlocking((ctx, m) -> blowUp(m));
        AgentHandle<Cmd> h = rt.spawn("lonely-" + style, b);
        h.ref().signal(new Cmd(7));
        assertThrows(AgentFailedException.class, () -> h.join(WATCHDOG));
        // the line is written before the agent's end is published: join() saw it
        String log = log();
        assertTrue(log.contains("WARN " + CrashLog.LOGGER + " - agent lonely-" + style
                + " failed and ended (it is not supervised): java.lang.IllegalStateException: kaboom 7"), log);
        assertTrue(log.contains("\tat dev.myrmex.core.CrashLoggingTest.blowUp("), "the stack trace: " + log);
        assertEquals(1, warnings("lonely-" + style));
    }

    @Test
    void aCrashLoopIsLoggedOnceThenCountedPerWindow() throws Exception {
        rt.start();
        Supervision loop = Supervision.of(RestartPolicy.ALWAYS).withMaxRestarts(1_000, Duration.ofHours(1))
                .withBackoff(Backoff.fixed(Duration.ZERO));
        AgentHandle<Cmd> h = rt.spawn("looping", ctx -> blowUp(ctx.receive()),
                SpawnOptions.DEFAULTS.withSupervision(loop));
        for (int i = 1; i <= 38; i++) {
            h.ref().signal(new Cmd(i));
        }
        Await.until(() -> h.metrics().restarts() == 38);
        assertEquals(1, warnings("looping"), "the first failure only: " + log());
        assertTrue(log().contains("agent looping failed; its supervisor decides what follows: "
                + "java.lang.IllegalStateException: kaboom 1"), log());

        clock.advance(CrashLog.WINDOW); // the window is over: the next failure sums it up
        h.ref().signal(new Cmd(39));
        Await.until(() -> warnings("looping") == 2);
        assertTrue(log().contains("agent looping failed 38 more times in the last 10 s; the latest: "
                + "java.lang.IllegalStateException: kaboom 39"), log());

        clock.advance(CrashLog.WINDOW); // a quiet window: the next failure is logged in full again
        h.ref().signal(new Cmd(40));
        Await.until(() -> warnings("looping") == 3);
        assertTrue(log().contains("agent looping failed; its supervisor decides what follows: "
                + "java.lang.IllegalStateException: kaboom 40"), log());

        h.ref().signal(new Cmd(41));
        h.ref().signal(new Cmd(42));
        Await.until(() -> h.metrics().restarts() == 42);
        assertEquals(3, warnings("looping"));
        h.stop(); // its end sums up what is left
        h.join(WATCHDOG);
        assertEquals(4, warnings("looping"));
        assertTrue(log().contains("agent looping failed 2 more times in the last 0 s before it ended; the latest: "
                + "java.lang.IllegalStateException: kaboom 42"), log());
    }
}
