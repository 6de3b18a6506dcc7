package dev.myrmex.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Val;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The extension stops what a test tracked, and names a runtime that will not stop instead of leaking it. The second
 * test also holds {@code stopNow} to its timeout and to its answer: before, a runtime whose agent ignored its
 * interrupt and never yielded waited for its scheduler's workers forever (the test timed out after 180 s), and a
 * second stop answered true at once although that agent still ran.
 */
class RuntimeExtensionTest {
    record Note(int n) implements Val {
    }

    @Test
    void aTrackedRuntimeIsStoppedAfterTheTest() throws Exception {
        RuntimeExtension runtimes = new RuntimeExtension();
        AgentRuntime rt = runtimes.track(AgentRuntime.builder().workers(2).build());
        rt.start();
        AgentHandle<Note> idle = rt.spawn("idle", ctx -> {
            while (true) {
                ctx.receive();
            }
        });
        idle.ref().signal(new Note(1));
        runtimes.stopAll("the test");
        assertEquals(0, rt.agentCount(), "every agent ended");
        assertTrue(idle.state().isTerminal(), idle.state()::toString);
    }

    @Test
    void aRuntimeThatDoesNotStopFailsNamingIt() throws Exception {
        RuntimeExtension runtimes = new RuntimeExtension(Duration.ofMillis(50));
        AgentRuntime rt = runtimes.track(AgentRuntime.builder().workers(2).build());
        rt.start();
        AtomicBoolean release = new AtomicBoolean();
        CountDownLatch spinning = new CountDownLatch(1);
        rt.spawn("deaf", ctx -> { // ignores the interrupt that stopNow sends
            spinning.countDown();
            while (!release.get()) {
                Thread.onSpinWait();
            }
        });
        Await.latch(spinning, () -> "the agent never ran");
        try {
            AssertionError e = assertThrows(AssertionError.class, () -> runtimes.stopAll("the test"));
            assertTrue(e.getMessage().contains("1 runtime(s) did not stop within PT0.05S after the test")
                    && e.getMessage().contains("(1 agents)"), e.getMessage());
            assertFalse(rt.stopNow(Duration.ofMillis(50)), "asked again: the agent still runs");
        } finally {
            release.set(true);
        }
        assertTrue(rt.stopNow(Await.WATCHDOG), "asked again once it let go: every agent ended");
        Await.until(() -> rt.agentCount() == 0, "the deaf agent to leave the count");
    }
}
