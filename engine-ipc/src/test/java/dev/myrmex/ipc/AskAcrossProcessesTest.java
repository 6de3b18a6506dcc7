package dev.myrmex.ipc;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AskFailedException;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.ipc.Agents.AskBack;
import dev.myrmex.ipc.Agents.Echo;
import dev.myrmex.ipc.Agents.Misbehave;
import dev.myrmex.ipc.Agents.Ping;
import dev.myrmex.ipc.Agents.Pong;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An ask across a channel fails at once, with the cause, when the agent on the other side fails on the request, in
 * either direction (issue 21, item 4): the side where the request became a dead letter sends a BOUNCED frame to the
 * asker's reply address. Every ask here has a ten-minute timeout and every wait a one-minute bound, so an outcome
 * within the bound is the bounce, not the timeout.
 */
class AskAcrossProcessesTest extends RuntimeWithChannels {
    private static final Duration NEVER = Duration.ofMinutes(10);

    @Test
    void anAskOfAChildAgentThatFailsOnTheRequestFailsAtOnceWithTheChildsFailure() throws Exception {
        AgentHandle<Sendable> echo = rt.spawn("thrower", new Echo(),
                SpawnOptions.DEFAULTS.outOfProcess(host().build()));
        assertEquals(new Pong(1, "x"), echo.ref().ask(new Ping(1, "x"), Pong.class, WATCHDOG)
                .get(60, TimeUnit.SECONDS));

        CompletableFuture<Pong> asked = echo.ref().ask(new Misbehave("throw"), Pong.class, NEVER);
        ExecutionException e = assertThrows(ExecutionException.class, () -> asked.get(60, TimeUnit.SECONDS));
        AskFailedException failed = assertInstanceOf(AskFailedException.class, e.getCause());
        assertEquals(AskFailedException.Reason.RECIPIENT_FAILED, failed.reason(), failed.getMessage());
        assertEquals("thrower", failed.recipient());
        PeerFailureException peer = assertInstanceOf(PeerFailureException.class, failed.getCause());
        assertTrue(peer.getMessage().contains("java.lang.IllegalStateException: asked to fail"), peer.getMessage());
        assertTrue(peer.getMessage().contains("at dev.myrmex.ipc.Agents$Echo"), "the child's stack trace: " + peer);
    }

    @Test
    void aChildsAskOfAParentAgentGetsItsReplyOrFailsAtOnceWithTheCause() throws Exception {
        AgentHandle<Sendable> answerer = rt.spawn("answerer", Behaviors.receive((ctx, m) -> {
            if (m.payload() instanceof Ping p) {
                ctx.reply(m, new Pong(p.n(), "the parent answers " + p.text()));
            }
        }));
        AgentHandle<Sendable> refuser = rt.spawn("refuser", Behaviors.receive((ctx, m) -> {
            throw new IllegalArgumentException("the parent refuses " + m.payload());
        }));
        AgentHandle<Sendable> gone = rt.spawn("gone", ctx -> ctx.receive());
        gone.stop();
        gone.join(WATCHDOG);
        AgentHandle<Sendable> asker = rt.spawn("asker", new Echo(), SpawnOptions.DEFAULTS.outOfProcess(host().build()));

        assertEquals(new Pong(1, "the parent answers from the child"),
                asker.ref().ask(new AskBack(answerer.ref()), Pong.class, WATCHDOG).get(60, TimeUnit.SECONDS));

        Pong failed = asker.ref().ask(new AskBack(refuser.ref()), Pong.class, WATCHDOG).get(60, TimeUnit.SECONDS);
        assertEquals(0, failed.n(), failed.text());
        assertTrue(failed.text().startsWith(AskFailedException.class.getName() + " RECIPIENT_FAILED "), failed.text());
        assertTrue(failed.text().contains("java.lang.IllegalArgumentException: the parent refuses"), failed.text());

        Pong stopped = asker.ref().ask(new AskBack(gone.ref()), Pong.class, WATCHDOG).get(60, TimeUnit.SECONDS);
        assertEquals(0, stopped.n(), stopped.text());
        assertTrue(stopped.text().startsWith(AskFailedException.class.getName() + " RECIPIENT_STOPPED"),
                stopped.text());
    }
}
