package dev.myrmex.core;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.mailbox.MailboxFullException;
import dev.myrmex.core.mailbox.MailboxSettings;
import dev.myrmex.core.mailbox.OverflowPolicy;
import dev.myrmex.core.resilience.Backoff;
import dev.myrmex.core.supervision.RestartPolicy;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.core.testing.RuntimeExtension;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An ask fails at once, with the cause, whenever the runtime knows that no reply will come: the recipient had
 * stopped, stopped or failed with the request still queued, failed on the request, its mailbox was full, or the
 * runtime stopped. Every ask here has a timeout far longer than the test waits ({@link #NEVER}), so an ask that is
 * only failed by its timeout fails the test.
 */
class AskFailureTest {
    /** Longer than any wait below: an ask that ends only by its timeout makes its test fail, not pass late. */
    private static final Duration NEVER = Duration.ofMinutes(10);

    /** A request: the agent answers n doubled, and throws on a negative n. */
    record Num(int n) implements Val {
    }

    /** What the agents throw on a negative request. */
    static final class Boom extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Boom(int n) {
            super("boom on " + n);
        }
    }

    @RegisterExtension
    final RuntimeExtension runtimes = new RuntimeExtension();
    private final AgentRuntime rt = runtimes.track(AgentRuntime.builder().workers(2).build());
    /** Every exception the agents threw, in order. */
    private final List<Boom> thrown = new CopyOnWriteArrayList<>();

    private void answer(AgentContext<Num> ctx, Message<Num> m) {
        int n = m.payload().n();
        if (n < 0) {
            Boom b = new Boom(n);
            thrown.add(b);
            throw b;
        }
        ctx.reply(m, new Num(n * 2));
    }

    /** The doubler in each agent style: a direct loop, a blocking-friendly handler, a non-blocking handler. */
    private Behavior<Num> doubler(String style) {
        return switch (style) {
            case "direct" -> ctx -> {
                while (true) {
                    answer(ctx, ctx.receive());
                }
            };
            case "blocking" -> Behaviors.receive(this::answer);
            case "nonBlocking" -> Behaviors.nonBlocking(this::answer);
            default -> throw new IllegalArgumentException(style);
        };
    }

    /** The ask's failure: it must come well within the watchdog, long before the ask's own timeout. */
    private static AskFailedException failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> f.get(WATCHDOG.toSeconds(), TimeUnit.SECONDS), "the ask must fail, and at once");
        return assertInstanceOf(AskFailedException.class, e.getCause());
    }

    @ParameterizedTest(name = "style={0}")
    @ValueSource(strings = {"direct", "blocking", "nonBlocking"})
    void anAskToAStoppedAgentFailsAtOnce(String style) throws Exception {
        rt.start();
        AgentHandle<Num> h = rt.spawn("gone", doubler(style));
        h.stop();
        h.join(WATCHDOG);
        CompletableFuture<Num> f = h.ref().ask(new Num(1), Num.class, NEVER);
        assertTrue(f.isDone(), "the request is a dead letter as it is sent: the ask has failed by the time it returns");
        AskFailedException e = failure(f);
        assertEquals(AskFailedException.Reason.RECIPIENT_STOPPED, e.reason());
        assertEquals("gone", e.recipient());
        assertNull(e.getCause(), "it stopped normally");
        CompletionException viaJoin = assertThrows(CompletionException.class, f::join);
        assertSame(e, viaJoin.getCause());
    }

    @ParameterizedTest(name = "style={0}")
    @ValueSource(strings = {"direct", "blocking", "nonBlocking"})
    void anAskWhoseRecipientFailsOnTheRequestFailsAtOnceWithWhatItThrew(String style) throws Exception {
        rt.start();
        AgentHandle<Num> h = rt.spawn("fragile", doubler(style));
        AskFailedException e = failure(h.ref().ask(new Num(-1), Num.class, NEVER));
        assertEquals(AskFailedException.Reason.RECIPIENT_FAILED, e.reason());
        assertSame(thrown.getFirst(), e.getCause(), "the cause is what the agent threw on this request");
        assertTrue(e.getMessage().contains("fragile") && e.getMessage().contains("boom on -1"), e.getMessage());
        assertThrows(AgentFailedException.class, () -> h.join(WATCHDOG));
    }

    @ParameterizedTest(name = "style={0}")
    @ValueSource(strings = {"direct", "blocking", "nonBlocking"})
    void aRequestStillQueuedWhenTheAgentStopsFailsAtOnce(String style) throws Exception {
        rt.start();
        AgentHandle<Num> h = rt.spawn("leaving", doubler(style));
        assertEquals(new Num(2), h.ref().ask(new Num(1), Num.class, WATCHDOG).get()); // it runs, and answers
        h.pause(); // the next request waits in the mailbox
        CompletableFuture<Num> queued = h.ref().ask(new Num(2), Num.class, NEVER);
        h.stop();
        AskFailedException e = failure(queued);
        assertEquals(AskFailedException.Reason.RECIPIENT_STOPPED, e.reason());
        assertNull(e.getCause());
        h.join(WATCHDOG);
    }

    @ParameterizedTest(name = "style={0}")
    @ValueSource(strings = {"direct", "blocking", "nonBlocking"})
    void aRequestStillQueuedWhenTheAgentFailsFailsAtOnceWithTheFailure(String style) throws Exception {
        rt.start();
        AgentHandle<Num> h = rt.spawn("doomed", doubler(style));
        assertEquals(new Num(2), h.ref().ask(new Num(1), Num.class, WATCHDOG).get());
        h.pause();
        CompletableFuture<Num> failing = h.ref().ask(new Num(-1), Num.class, NEVER);
        // queued behind the request it fails on
        CompletableFuture<Num> behind = h.ref().ask(new Num(3), Num.class, NEVER);
        h.resume();
        assertEquals(AskFailedException.Reason.RECIPIENT_FAILED, failure(failing).reason());
        AskFailedException e = failure(behind);
        assertEquals(AskFailedException.Reason.RECIPIENT_STOPPED, e.reason());
        assertSame(thrown.getFirst(), e.getCause(), "it ended by failing: the cause says with what");
        assertThrows(AgentFailedException.class, () -> h.join(WATCHDOG));
    }

    @ParameterizedTest(name = "style={0}")
    @ValueSource(strings = {"direct", "blocking", "nonBlocking"})
    void aSupervisedAgentFailsOnlyTheAskItFailedOnAndAnswersTheNext(String style) throws Exception {
        rt.start();
        Supervision always = Supervision.of(RestartPolicy.ALWAYS).withMaxRestarts(3, Duration.ofMinutes(1))
                .withBackoff(Backoff.fixed(Duration.ZERO));
        AgentHandle<Num> h = rt.spawn("phoenix", doubler(style), SpawnOptions.DEFAULTS.withSupervision(always));
        h.pause();
        CompletableFuture<Num> failing = h.ref().ask(new Num(-5), Num.class, NEVER);
        // kept in the mailbox across the restart
        CompletableFuture<Num> next = h.ref().ask(new Num(5), Num.class, NEVER);
        h.resume();
        AskFailedException e = failure(failing);
        assertEquals(AskFailedException.Reason.RECIPIENT_FAILED, e.reason());
        assertSame(thrown.getFirst(), e.getCause());
        assertEquals(new Num(10), next.get(WATCHDOG.toSeconds(), TimeUnit.SECONDS), "the restarted agent answers");
        assertEquals(1, h.metrics().restarts());
    }

    @Test
    void aFullMailboxFailsTheAskWithTheRefusalInsteadOfThrowing() throws Exception {
        rt.start();
        MailboxSettings one = MailboxSettings.DEFAULTS.withCapacity(1).withWatermarks(1, 0);
        AgentHandle<Num> refusing = rt.spawn("refusing", doubler("direct"),
                SpawnOptions.DEFAULTS.withMailbox(one.withOverflow(OverflowPolicy.FAIL)));
        AgentHandle<Num> dropping = rt.spawn("dropping", doubler("nonBlocking"),
                SpawnOptions.DEFAULTS.withMailbox(one.withOverflow(OverflowPolicy.DROP)));
        for (AgentHandle<Num> h : List.of(refusing, dropping)) {
            h.pause();
            h.ref().signal(new Num(0)); // fills it
        }
        // returns: the ask does not throw
        CompletableFuture<Num> refused = refusing.ref().ask(new Num(1), Num.class, NEVER);
        assertTrue(refused.isDone());
        AskFailedException r = failure(refused);
        assertEquals(AskFailedException.Reason.MAILBOX_FULL, r.reason());
        assertInstanceOf(MailboxFullException.class, r.getCause(), "the refusal is the cause");

        CompletableFuture<Num> dropped = dropping.ref().ask(new Num(1), Num.class, NEVER);
        assertTrue(dropped.isDone());
        AskFailedException d = failure(dropped);
        assertEquals(AskFailedException.Reason.MAILBOX_FULL, d.reason());
        assertNull(d.getCause());
        assertEquals(1, rt.deadLetters().count(DeadLetter.Reason.MAILBOX_FULL), "a drop is still a dead letter");
    }

    @Test
    void anAskPendingWhenTheRuntimeStopsFailsThenInsteadOfNever() throws Exception {
        rt.start();
        List<Message<Num>> kept = new CopyOnWriteArrayList<>();
        AgentHandle<Num> hoarder = rt.spawn("hoarder", ctx -> {
            while (true) {
                kept.add(ctx.receive()); // takes every request, answers none
            }
        });
        CompletableFuture<Num> f = hoarder.ref().ask(new Num(1), Num.class, NEVER);
        Await.until(() -> kept.size() == 1);
        rt.stop(WATCHDOG);
        AskFailedException e = failure(f);
        assertEquals(AskFailedException.Reason.RUNTIME_STOPPED, e.reason());
    }

    @Test
    void aTimeoutStillMeansOnlyThatNoReplyCameInTime() throws Exception {
        rt.start();
        AgentHandle<Num> silent = rt.spawn("silent", ctx -> {
            while (true) {
                ctx.receive(); // taken, never answered: only the timeout can tell
            }
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> silent.ref().ask(new Num(1), Num.class,
                Duration.ofMillis(50)).get(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, e.getCause());
    }
}
