package dev.myrmex.core;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.mailbox.MailboxFullException;
import dev.myrmex.core.mailbox.MailboxSettings;
import dev.myrmex.core.mailbox.OverflowPolicy;
import dev.myrmex.core.testing.RuntimeExtension;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The runtime and agent lifecycle, messaging, ask, and every error they report. */
class AgentRuntimeTest {

    record Num(int n) implements Val {
    }

    record Bad(int[] data) implements Val {
    }

    @RegisterExtension
    final RuntimeExtension runtimes = new RuntimeExtension();
    private final AgentRuntime rt = runtimes.track(AgentRuntime.builder().workers(2).maxAgents(50).build());

    /** A behavior that records what it receives, forever. */
    private static Behavior<Num> recorder(List<Integer> into) {
        return ctx -> {
            while (true) {
                into.add(ctx.receive().payload().n());
            }
        };
    }

    @Test
    void anErrorThrownOnTheWayOutStillEndsTheAgent() throws Exception {
        rt.start();
        CountDownLatch hold = new CountDownLatch(1);
        AgentHandle<Num> h = rt.spawn("doomed", ctx -> {
            hold.await(); // the mail queues up meanwhile
        });
        List<Integer> seen = new CopyOnWriteArrayList<>();
        try (DeadLetters.Subscription _ = rt.deadLetters().subscribe(d -> {
            if (d.message().payload() instanceof Num(int n)) {
                seen.add(n);
                if (n == 1) {
                    throw new AssertionError("a subscriber that breaks on one letter");
                }
            }
        })) {
            for (int i = 0; i < 3; i++) {
                assertTrue(h.ref().signal(new Num(i)));
            }
            h.stopNow(); // the queued mail becomes dead letters as the agent ends
            hold.countDown();
            h.join(WATCHDOG);
            assertEquals(AgentState.STOPPED, h.state());
            assertEquals(List.of(0, 1, 2), seen); // the letters after the broken one were delivered too
            assertEquals(3, h.metrics().deadLettered());
            assertTrue(rt.lookup("doomed").isEmpty());
        }
    }

    @Test
    void lifecycleMisuseIsAnIllegalStateSayingWhy() throws InterruptedException {
        var e = assertThrows(IllegalStateException.class, () -> rt.spawn("early", ctx -> { }));
        assertTrue(e.getMessage().contains("not started"), e.getMessage());
        rt.start();
        assertTrue(assertThrows(IllegalStateException.class, rt::start).getMessage().contains("already started"));
        rt.stop(WATCHDOG);
        assertTrue(assertThrows(IllegalStateException.class, () -> rt.spawn("late", ctx -> { })).getMessage()
                .contains("stopped"));
        assertTrue(assertThrows(IllegalStateException.class, rt::start).getMessage().contains("stopped"));
        assertTrue(rt.stop(WATCHDOG), "stop is idempotent");
    }

    @Test
    void anAgentReceivesInOrderAndEndsWithItsResult() throws Exception {
        rt.start();
        AgentHandle<Num> h = rt.spawn("summer", ctx -> {
            int sum = 0;
            for (int i = 0; i < 100; i++) {
                Message<Num> m = ctx.receive();
                assertEquals(i, m.payload().n(), "out of order");
                assertFalse(m.hasSender(), "sent from a platform thread: no sender");
                assertEquals(Capability.VAL, m.capability());
                sum += m.payload().n();
            }
            ctx.result(sum);
        });
        for (int i = 0; i < 100; i++) {
            assertTrue(h.ref().signal(new Num(i)));
        }
        assertEquals(4950, h.join(WATCHDOG));
        assertEquals(AgentState.STOPPED, h.state());
        assertEquals(100, h.metrics().received());
        assertEquals(4950, h.completion().get());
    }

    @Test
    void namesAreUniqueAndCanBeLookedUpAndReusedAfterTheEnd() throws Exception {
        rt.start();
        CountDownLatch release = new CountDownLatch(1);
        AgentHandle<Num> h = rt.spawn("unique", ctx -> release.await());
        assertSame(h, rt.lookup("unique").orElseThrow());
        var e = assertThrows(AgentNameTakenException.class, () -> rt.spawn("unique", ctx -> { }));
        assertTrue(e.getMessage().contains("'unique'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> rt.spawn(" ", ctx -> { }));
        release.countDown();
        h.join(WATCHDOG);
        assertTrue(rt.lookup("unique").isEmpty());
        rt.spawn("unique", ctx -> { }).join(WATCHDOG);
    }

    @Test
    void spawningPastMaxAgentsIsATypedError() throws Exception {
        rt.start();
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 50; i++) {
            rt.spawn("a" + i, ctx -> release.await());
        }
        assertEquals(50, rt.agentCount());
        var e = assertThrows(AgentLimitException.class, () -> rt.spawn("one-too-many", ctx -> { }));
        assertTrue(e.getMessage().contains("maxAgents = 50"), e.getMessage());
        release.countDown();
    }

    @Test
    void aPausedAgentTakesNothingAndResumesInOrder() throws Exception {
        rt.start();
        List<Integer> got = new CopyOnWriteArrayList<>();
        AgentHandle<Num> h = rt.spawn("pausable", recorder(got));
        h.ref().signal(new Num(0));
        Await.until(() -> got.size() == 1);
        h.pause();
        assertEquals(AgentState.PAUSED, h.state());
        for (int i = 1; i <= 10; i++) {
            h.ref().signal(new Num(i));
        }
        Await.until(() -> h.metrics().mailboxDepth() == 10);
        assertEquals(List.of(0), got, "a paused agent took messages");
        assertThrows(IllegalStateException.class, h::pause);
        h.resume();
        assertEquals(AgentState.RUNNING, h.state());
        assertThrows(IllegalStateException.class, h::resume);
        Await.until(() -> got.size() == 11);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), got);
    }

    @Test
    void gracefulStopFinishesTheCurrentMessageAndDeadLettersTheRest() throws Exception {
        rt.start();
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch finishFirst = new CountDownLatch(1);
        List<Integer> done = new CopyOnWriteArrayList<>();
        AgentHandle<Num> h = rt.spawn("worker", ctx -> {
            while (true) {
                Message<Num> m = ctx.receive();
                inFirst.countDown();
                finishFirst.await();
                done.add(m.payload().n());
            }
        });
        for (int i = 0; i < 5; i++) {
            h.ref().signal(new Num(i));
        }
        inFirst.await();
        h.stop();
        assertEquals(AgentState.STOPPING, h.state());
        assertThrows(IllegalStateException.class, () -> h.stop(), "stopping twice");
        finishFirst.countDown();
        h.join(WATCHDOG);
        assertEquals(List.of(0), done, "the current message is finished, no other is taken");
        assertEquals(AgentState.STOPPED, h.state());
        assertEquals(4, h.metrics().deadLettered());
        assertEquals(4, rt.deadLetters().count(DeadLetter.Reason.RECIPIENT_STOPPED));
        assertFalse(h.ref().signal(new Num(99)), "a send to a stopped agent is a dead letter");
        assertEquals(5, rt.deadLetters().count(DeadLetter.Reason.RECIPIENT_STOPPED));
    }

    @Test
    void immediateStopInterruptsABlockedBehavior() throws Exception {
        rt.start();
        CountDownLatch blocked = new CountDownLatch(1);
        AgentHandle<Num> h = rt.spawn("sleeper", ctx -> {
            blocked.countDown();
            new CountDownLatch(1).await(); // never counted down: only an interrupt ends this
        });
        blocked.await();
        h.stopNow();
        h.join(WATCHDOG);
        assertEquals(AgentState.STOPPED, h.state());
    }

    @Test
    void aFailingBehaviorEndsFailedWithItsCause() throws Exception {
        rt.start();
        AgentHandle<Num> h = rt.spawn("faulty", ctx -> {
            throw new IllegalArgumentException("boom (expected by the test)");
        });
        var e = assertThrows(AgentFailedException.class, () -> h.join(WATCHDOG));
        assertTrue(e.getCause() instanceof IllegalArgumentException);
        assertTrue(e.getMessage().contains("faulty"), e.getMessage());
        assertEquals(AgentState.FAILED, h.state());
        assertThrows(IllegalStateException.class, () -> h.stop());
        var f = assertThrows(ExecutionException.class, () -> h.completion().get());
        assertTrue(f.getCause() instanceof AgentFailedException);
    }

    @Test
    void messagesFromAnAgentCarryItsAddressAndAskGetsTheReply() throws Exception {
        rt.start();
        AgentHandle<Num> doubler = rt.spawn("doubler", ctx -> {
            while (true) {
                Message<Num> m = ctx.receive();
                ctx.reply(m, new Num(m.payload().n() * 2));
            }
        });
        CompletableFutureCheck.assertReply(doubler.ref().ask(new Num(21), Num.class, WATCHDOG), new Num(42));

        AtomicReference<Tag> senderSeen = new AtomicReference<>();
        AgentHandle<Num> receiver = rt.spawn("receiver", ctx -> senderSeen.set(ctx.receive().sender()));
        AgentHandle<Num> sender = rt.spawn("sender", ctx -> receiver.ref().signal(new Num(1)));
        sender.join(WATCHDOG);
        receiver.join(WATCHDOG);
        assertSame(sender.ref(), senderSeen.get());

        AgentHandle<Num> lonely = rt.spawn("lonely", ctx -> ctx.reply(ctx.receive(), new Num(0)));
        lonely.ref().signal(new Num(0)); // from the test thread: no sender to reply to
        var e = assertThrows(AgentFailedException.class, () -> lonely.join(WATCHDOG));
        assertTrue(e.getCause() instanceof IllegalStateException && e.getCause().getMessage().contains("no sender"),
                String.valueOf(e.getCause()));
    }

    @Test
    void anAskThatTimesOutFailsAndTheLateReplyIsADeadLetter() throws Exception {
        rt.start();
        CountDownLatch answer = new CountDownLatch(1);
        AgentHandle<Num> slow = rt.spawn("slow", ctx -> {
            Message<Num> m = ctx.receive();
            answer.await(); // reply only after the asker gave up
            ctx.reply(m, new Num(1));
        });
        var future = slow.ref().ask(new Num(0), Num.class, Duration.ofMillis(20));
        var e = assertThrows(ExecutionException.class, () -> future.get(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof TimeoutException, String.valueOf(e.getCause()));
        assertTrue(e.getCause().getMessage().contains("slow"), e.getCause().getMessage());
        answer.countDown();
        slow.join(WATCHDOG);
        assertEquals(1, rt.deadLetters().count(DeadLetter.Reason.LATE_REPLY));
        assertThrows(IllegalArgumentException.class, () -> slow.ref().ask(new Num(0), Num.class, Duration.ZERO));
    }

    @Test
    void anIsoIsMovedBySendingAndAnInvalidValIsRefused() throws Exception {
        rt.start();
        AtomicReference<StringBuilder> got = new AtomicReference<>();
        AgentHandle<Iso<StringBuilder>> h = rt.spawn("owner", ctx -> got.set(ctx.receive().payload().get()));
        StringBuilder buffer = new StringBuilder("mine");
        Iso<StringBuilder> iso = Iso.of(buffer);
        h.ref().signal(iso);
        h.join(WATCHDOG);
        assertSame(buffer, got.get());
        assertThrows(IllegalStateException.class, iso::get, "the sender kept access");
        assertThrows(IllegalStateException.class, () -> h.ref().signal(iso), "an Iso sent twice");

        AgentHandle<Bad> bad = rt.spawn("bad", ctx -> ctx.receive());
        var e = assertThrows(IllegalValException.class, () -> bad.ref().signal(new Bad(new int[1])));
        assertEquals("data", e.component());
        assertEquals(0, bad.metrics().mailboxDepth());
    }

    @Test
    void anIsoWhoseSendIsRefusedStaysWithItsSender() throws Exception {
        rt.start();
        CountDownLatch release = new CountDownLatch(1);
        MailboxSettings one = MailboxSettings.DEFAULTS.withCapacity(1).withWatermarks(1, 0)
                .withOverflow(OverflowPolicy.FAIL);
        AgentHandle<Iso<StringBuilder>> h = rt.spawn("busy", ctx -> {
            release.await(); // takes nothing until released: the mailbox stays full
            while (true) {
                ctx.receive();
            }
        }, SpawnOptions.DEFAULTS.withMailbox(one));
        h.ref().signal(Iso.of(new StringBuilder("first")));
        StringBuilder second = new StringBuilder("second");
        Iso<StringBuilder> iso = Iso.of(second);
        assertThrows(MailboxFullException.class, () -> h.ref().signal(iso));
        assertFalse(iso.isMoved(), "a refused send took the content");
        assertSame(second, iso.get());
        release.countDown();
    }

    @Test
    void twoAgentsThatFloodEachOtherDoNotHangForEver() throws Exception {
        // Each agent sends to the other and never receives. Backpressure holds each back at the other's high
        // watermark for at most the block timeout; then the other's mailbox fills and, under BLOCK, a send fails
        // with MailboxFullException after the timeout. The first agent to fail ends FAILED and its mailbox closes; the
        // other's sends then become dead letters (signal returns false) and it ends. Nothing waits for ever.
        AgentRuntime small = AgentRuntime.builder().workers(2).mailbox(MailboxSettings.DEFAULTS.withCapacity(16)
                .withBlockTimeout(Duration.ofMillis(50))).build();
        small.start();
        try {
            AtomicReference<AgentRef<Num>> aRef = new AtomicReference<>();
            AtomicReference<AgentRef<Num>> bRef = new AtomicReference<>();
            CountDownLatch bothUp = new CountDownLatch(1);
            Behavior<Num> flood = ctx -> {
                bothUp.await();
                AgentRef<Num> other = ctx.name().equals("a") ? bRef.get() : aRef.get();
                int i = 0;
                while (other.signal(new Num(i++))) {
                    // keep flooding while the other one is alive
                }
            };
            AgentHandle<Num> a = small.spawn("a", flood);
            AgentHandle<Num> b = small.spawn("b", flood);
            aRef.set(a.ref());
            bRef.set(b.ref());
            bothUp.countDown();
            int failedFull = 0;
            for (AgentHandle<Num> h : List.of(a, b)) {
                try {
                    h.join(WATCHDOG);
                } catch (AgentFailedException e) {
                    assertTrue(e.getCause() instanceof MailboxFullException, String.valueOf(e.getCause()));
                    failedFull++;
                }
            }
            assertTrue(failedFull >= 1, "neither agent saw a full mailbox");
            assertTrue(a.state().isTerminal() && b.state().isTerminal());
            assertTrue(small.deadLetters().count(DeadLetter.Reason.RECIPIENT_STOPPED) >= 1,
                    "the survivor's sends to the failed agent are dead letters");
        } finally {
            small.stopNow(WATCHDOG);
        }
    }

    @Test
    void stoppingTheRuntimeStopsEveryAgent() throws Exception {
        rt.start();
        List<Integer> got = new CopyOnWriteArrayList<>();
        AgentHandle<Num> h1 = rt.spawn("r1", recorder(got));
        AgentHandle<Num> h2 = rt.spawn("r2", recorder(got));
        assertTrue(rt.stop(WATCHDOG));
        assertEquals(AgentState.STOPPED, h1.state());
        assertEquals(AgentState.STOPPED, h2.state());
        assertEquals(0, rt.agentCount());
        assertNull(h1.join(WATCHDOG));
    }

    /** Checks a reply future with the watchdog. */
    static final class CompletableFutureCheck {
        static <R> void assertReply(java.util.concurrent.CompletableFuture<R> f, R expected) throws Exception {
            assertEquals(expected, f.get(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
        }
    }
}
