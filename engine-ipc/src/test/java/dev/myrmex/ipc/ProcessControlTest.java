package dev.myrmex.ipc;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentFailedException;
import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentState;
import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.core.supervision.RestartPolicy;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.ipc.Agents.Echo;
import dev.myrmex.ipc.Agents.Misbehave;
import dev.myrmex.ipc.Agents.Note;
import dev.myrmex.ipc.Agents.Ping;
import dev.myrmex.ipc.Agents.Pong;
import dev.myrmex.testkit.Await;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProcessControlTest extends RuntimeWithChannels {
    private final List<DeadLetter> dead = new CopyOnWriteArrayList<>();

    @BeforeEach
    void collectDeadLetters() {
        rt.deadLetters().subscribe(dead::add);
    }

    private SpawnOptions options(boolean supervised) {
        SpawnOptions o = SpawnOptions.DEFAULTS.outOfProcess(host().build());
        return supervised ? o.withSupervision(Supervision.of(RestartPolicy.ON_FAILURE)) : o;
    }

    private long deadFor(DeadLetter.Reason reason) {
        return dead.stream().filter(d -> d.reason() == reason && d.message().payload() instanceof Ping).count();
    }

    @Test
    void aChildKilledInTrafficIsDetectedRestartedAndItsUntakenMessagesDeadLettered() throws Exception {
        AgentHandle<Sendable> echo = rt.spawn("victim", new Echo(), options(true));
        assertEquals(new Pong(1, "a"), echo.ref().ask(new Ping(1, "a"), Pong.class, WATCHDOG)
                .get(60, TimeUnit.SECONDS));
        ProcessHandle first = Children.await("victim");
        // the child takes "hang" and blocks on it: the 500 pings behind it are never taken
        echo.ref().signal(new Misbehave("hang"));
        // the kill must come after the child took "hang" (else "hang" is one more untaken message): wait for it
        Await.until(() -> echo.metrics().received() == 2, WATCHDOG, "the child to take hang");
        for (int i = 0; i < 500; i++) {
            echo.ref().signal(new Ping(i, "queued"));
        }
        assertTrue(first.destroyForcibly());
        Await.until(() -> echo.metrics().restarts() == 1, WATCHDOG, "the restart");
        assertEquals(500, deadFor(DeadLetter.Reason.RECIPIENT_DIED), "every untaken message is a dead letter");
        assertEquals(new Pong(2, "b"), echo.ref().ask(new Ping(2, "b"), Pong.class, WATCHDOG)
                .get(60, TimeUnit.SECONDS));
        ProcessHandle second = Children.await("victim");
        assertNotEquals(first.pid(), second.pid());
        assertEquals(AgentState.RUNNING, echo.state());
        assertEquals(3, echo.metrics().received(), "taken: ping and hang by the first child, ping b by the second");
        assertEquals(0, echo.metrics().mailboxDepth());
    }

    @Test
    void aKillInTheMiddleOfAStreamNeverDeliversATornFrame() throws Exception {
        List<Long> got = new CopyOnWriteArrayList<>();
        AgentHandle<Note> sink = rt.spawn("sink", ctx -> {
            while (true) {
                got.add(ctx.receive().payload().n());
            }
        });
        AgentHandle<Sendable> echo = rt.spawn("streamer", new Echo(), options(true));
        echo.ref().signal(new Agents.Emit(sink.ref(), Integer.MAX_VALUE));
        ProcessHandle child = Children.await("streamer");
        Await.until(() -> got.size() > 10_000, WATCHDOG, "the stream to flow");
        child.destroyForcibly();
        Await.until(() -> echo.metrics().restarts() == 1, WATCHDOG, "the restart");
        int n = got.size();
        for (int i = 0; i < n; i++) {
            assertEquals(i, got.get(i), "the stream is whole and in order up to the kill");
        }
    }

    @Test
    void pauseStopsTheProcessAndResumeLetsItGoOn() throws Exception {
        AgentHandle<Sendable> echo = rt.spawn("sleeper", new Echo(), options(false));
        echo.ref().ask(new Ping(0, ""), Pong.class, WATCHDOG).get(60, TimeUnit.SECONDS);
        long pid = Children.await("sleeper").pid();
        echo.pause();
        assertEquals(AgentState.PAUSED, echo.state());
        Await.until(() -> Children.state(pid) == 'T', WATCHDOG, "the child to be stopped by SIGSTOP");
        CompletableFuture<Pong> pending = echo.ref().ask(new Ping(5, "later"), Pong.class, WATCHDOG);
        assertEquals('T', Children.state(pid));
        assertFalse(pending.isDone(), "a frozen child answers nothing");
        echo.resume();
        assertEquals(new Pong(5, "later"), pending.get(60, TimeUnit.SECONDS));
        assertNotEquals('T', Children.state(pid));
        assertEquals(AgentState.RUNNING, echo.state());
    }

    @Test
    void aGracefulStopFinishesTheCurrentMessageAndDeadLettersTheRest() throws Exception {
        AgentHandle<Sendable> echo = rt.spawn("worker", new Echo(), options(false));
        echo.ref().ask(new Ping(0, ""), Pong.class, WATCHDOG).get(60, TimeUnit.SECONDS);
        CompletableFuture<Pong> slow = echo.ref().ask(new Misbehave("slow:500"), Pong.class, WATCHDOG);
        Await.until(() -> echo.metrics().received() >= 2, WATCHDOG, "the slow message to be taken");
        for (int i = 0; i < 10; i++) {
            echo.ref().signal(new Ping(i, "too late"));
        }
        echo.stop();
        assertEquals("slow done", slow.get(60, TimeUnit.SECONDS).text());
        echo.join(WATCHDOG);
        assertEquals(AgentState.STOPPED, echo.state());
        assertEquals(10, deadFor(DeadLetter.Reason.RECIPIENT_STOPPED));
        assertFalse(echo.ref().signal(new Ping(99, "after the end")));
        assertTrue(Children.of("worker").isEmpty(), "the child has exited");
    }

    @Test
    void aChildThatStopsBeatingIsKilledAndReported() throws Exception {
        AgentHandle<Sendable> echo = rt.spawn("frozen", new Echo(), options(false));
        echo.ref().ask(new Ping(0, ""), Pong.class, WATCHDOG).get(60, TimeUnit.SECONDS);
        ProcessHandle child = Children.await("frozen");
        // frozen from outside, not by pause(): to the parent it is a hung child
        assertTrue(dev.myrmex.ipc.internal.Posix.stop(child.pid()));
        AgentFailedException e = org.junit.jupiter.api.Assertions.assertThrows(AgentFailedException.class,
                () -> echo.join(WATCHDOG));
        ChildProcessException cause = assertInstanceOf(ChildProcessException.class, e.getCause());
        assertEquals(ChildProcessException.Reason.NO_HEARTBEAT, cause.reason());
        assertTrue(cause.getMessage().contains("no heartbeat for 1000 ms"), cause.getMessage());
        assertEquals(AgentState.FAILED, echo.state());
        assertFalse(child.isAlive());
    }

    @Test
    void aBehaviorThatThrowsInTheChildFailsTheAgentWithItsStackTrace() throws Exception {
        ChildProcessException cause = misbehaveUntilItFails("thrower", "throw");
        assertEquals(ChildProcessException.Reason.BEHAVIOR_FAILED, cause.reason());
        assertTrue(cause.getMessage().contains("asked to fail"), cause.getMessage());
    }

    /** Spawns an echo, has it misbehave {@code how}, and returns why its agent failed. */
    private ChildProcessException misbehaveUntilItFails(String name, String how) throws Exception {
        AgentHandle<Sendable> echo = rt.spawn(name, new Echo(), options(false));
        echo.ref().signal(new Misbehave(how));
        AgentFailedException e = org.junit.jupiter.api.Assertions.assertThrows(AgentFailedException.class,
                () -> echo.join(WATCHDOG));
        return assertInstanceOf(ChildProcessException.class, e.getCause());
    }

    @Test
    void aThreadOfTheChildDyingOfAnErrorEndsTheChildAndFailsTheAgent() throws Exception {
        ChildProcessException cause = misbehaveUntilItFails("error", "thread-error");
        assertEquals(ChildProcessException.Reason.BEHAVIOR_FAILED, cause.reason(), cause.getMessage());
        assertTrue(cause.getMessage().contains("thread doomed died"), cause.getMessage());
        assertTrue(cause.getMessage().contains("simulated: a class that cannot load"), cause.getMessage());
    }
}
