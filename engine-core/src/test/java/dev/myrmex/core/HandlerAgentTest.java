package dev.myrmex.core;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.mailbox.MailboxSettings;
import dev.myrmex.core.mailbox.OverflowPolicy;
import dev.myrmex.core.testing.RuntimeExtension;
import dev.myrmex.testkit.Await;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Handler-style agents ({@link Behaviors}), both kinds: turns on the carriers (non-blocking) and turns on a virtual
 * thread each (blocking-friendly). Same lifecycle and delivery rules as direct-style agents.
 */
class HandlerAgentTest {
    record Num(int n) implements Val {
    }

    @RegisterExtension
    final RuntimeExtension runtimes = new RuntimeExtension();
    private final AgentRuntime rt = runtimes.track(AgentRuntime.builder().workers(2).build());

    private static <M extends Sendable> Behavior<M> handler(boolean nonBlocking, MessageHandler<M> h) {
        return nonBlocking ? Behaviors.nonBlocking(h) : Behaviors.receive(h);
    }

    @ParameterizedTest(name = "nonBlocking={0}")
    @ValueSource(booleans = {true, false})
    void handlesEveryMessageInOrderAndStopsItselfWithAResult(boolean nonBlocking) throws Exception {
        rt.start();
        int n = 10_000;
        int[] next = {0};
        AgentHandle<Num> h = rt.spawn("summer", handler(nonBlocking, (ctx, m) -> {
            assertEquals(next[0]++, m.payload().n(), "out of order");
            if (next[0] == n) {
                ctx.result(next[0]);
                ctx.stopSelf();
            }
        }));
        for (int i = 0; i < n; i++) {
            assertTrue(h.ref().signal(new Num(i)));
        }
        assertEquals(n, h.join(WATCHDOG));
        assertEquals(AgentState.STOPPED, h.state());
        assertEquals(n, h.metrics().received());
        assertFalse(h.ref().signal(new Num(-1)), "a send after the end is a dead letter");
    }

    @Test
    void aNonBlockingHandlerRunsOnACarrierAndABlockingOneOnAVirtualThreadThatEndsWhenIdle() throws Exception {
        rt.start();
        AtomicReference<Thread> carrier = new AtomicReference<>();
        AtomicReference<Thread> turn = new AtomicReference<>();
        CountDownLatch both = new CountDownLatch(2);
        AgentHandle<Num> fast = rt.spawn("fast", Behaviors.nonBlocking((ctx, m) -> {
            carrier.set(Thread.currentThread());
            both.countDown();
        }));
        AgentHandle<Num> slow = rt.spawn("slow", Behaviors.receive((ctx, m) -> {
            turn.set(Thread.currentThread());
            both.countDown();
        }));
        fast.ref().signal(new Num(1));
        slow.ref().signal(new Num(1));
        assertTrue(both.await(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
        assertFalse(carrier.get().isVirtual(), "non-blocking handler ran on " + carrier.get());
        assertTrue(carrier.get().getName().startsWith("myrmex-agents"), carrier.get().getName());
        assertTrue(turn.get().isVirtual(), "blocking-friendly handler ran on " + turn.get());
        assertTrue(rt.scheduler().carries(turn.get()));
        // The turn's thread ends once the mailbox is drained: an idle handler agent holds no thread.
        assertTrue(turn.get().join(WATCHDOG), "the turn's virtual thread outlived the mail");
        assertEquals(AgentState.RUNNING, slow.state());
    }

    @Test
    void aBlockingHandlerMayBlockWhileOtherAgentsRun() throws Exception {
        rt.start();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch othersDone = new CountDownLatch(100);
        rt.spawn("blocker", Behaviors.<Num>receive((ctx, m) -> {
            blocked.countDown();
            release.await();
        })).ref().signal(new Num(0));
        assertTrue(blocked.await(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
        for (int i = 0; i < 100; i++) {
            rt.spawn("other-" + i, Behaviors.<Num>nonBlocking((ctx, m) -> othersDone.countDown()))
                    .ref().signal(new Num(i));
        }
        assertTrue(othersDone.await(WATCHDOG.toSeconds(), TimeUnit.SECONDS), "agents stuck behind a blocked one");
        release.countDown();
    }

    @ParameterizedTest(name = "nonBlocking={0}")
    @ValueSource(booleans = {true, false})
    void aFailingHandlerEndsFailedAndItsMailIsDeadLettered(boolean nonBlocking) throws Exception {
        rt.start();
        CountDownLatch go = new CountDownLatch(1);
        AgentHandle<Num> h = rt.spawn("faulty", handler(nonBlocking, (ctx, m) -> {
            if (m.payload().n() == 0) {
                Await.holdCarrierUntil(go); // hold the first turn until the rest is queued
                throw new IllegalArgumentException("bad number " + m.payload().n());
            }
        }));
        for (int i = 0; i < 5; i++) {
            h.ref().signal(new Num(i));
        }
        go.countDown();
        var e = assertThrows(AgentFailedException.class, () -> h.join(WATCHDOG));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertEquals(AgentState.FAILED, h.state());
        assertEquals(4, h.metrics().deadLettered());
        assertEquals(4, rt.deadLetters().count(DeadLetter.Reason.RECIPIENT_STOPPED));
    }

    @ParameterizedTest(name = "nonBlocking={0}")
    @ValueSource(booleans = {true, false})
    void aPausedHandlerTakesNothingAndResumesInOrder(boolean nonBlocking) throws Exception {
        rt.start();
        List<Integer> got = new CopyOnWriteArrayList<>();
        AgentHandle<Num> h = rt.spawn("pausable", handler(nonBlocking, (ctx, m) -> got.add(m.payload().n())));
        h.pause();
        for (int i = 0; i < 50; i++) {
            h.ref().signal(new Num(i));
        }
        assertEquals(50, h.metrics().mailboxDepth(), "a paused agent took mail");
        assertTrue(got.isEmpty());
        assertThrows(IllegalStateException.class, h::pause);
        h.resume();
        Await.until(() -> got.size() == 50);
        assertEquals(java.util.stream.IntStream.range(0, 50).boxed().toList(), got);
        assertThrows(IllegalStateException.class, h::resume);
    }

    @ParameterizedTest(name = "nonBlocking={0}")
    @ValueSource(booleans = {true, false})
    void gracefulStopFinishesTheCurrentMessageAndDeadLettersTheRest(boolean nonBlocking) throws Exception {
        rt.start();
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        List<Integer> done = new CopyOnWriteArrayList<>();
        AgentHandle<Num> h = rt.spawn("stoppable", handler(nonBlocking, (ctx, m) -> {
            inFirst.countDown();
            Await.holdCarrierUntil(finish);
            done.add(m.payload().n());
        }));
        for (int i = 0; i < 10; i++) {
            h.ref().signal(new Num(i));
        }
        assertTrue(inFirst.await(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
        h.stop();
        assertEquals(AgentState.STOPPING, h.state());
        assertThrows(IllegalStateException.class, () -> h.stop());
        finish.countDown();
        h.join(WATCHDOG);
        assertEquals(List.of(0), done, "the current message finishes, no other is taken");
        assertEquals(AgentState.STOPPED, h.state());
        assertEquals(9, h.metrics().deadLettered());
    }

    @Test
    void aCompletionAskedForWhileTheAgentEndsIsAlwaysCompleted() throws Exception {
        // The completion future is made lazily; asking for it races with the end. Neither order may lose it.
        rt.start();
        int agents = 2_000;
        List<java.util.concurrent.CompletableFuture<Object>> completions = new CopyOnWriteArrayList<>();
        for (int i = 0; i < agents; i++) {
            AgentHandle<Num> h = rt.spawn("short-" + i, Behaviors.nonBlocking((ctx, m) -> {
                ctx.result(m.payload().n());
                ctx.stopSelf();
            }));
            h.ref().signal(new Num(i));
            completions.add(h.completion()); // while the agent may be ending on a carrier
        }
        for (int i = 0; i < agents; i++) {
            assertEquals(i, completions.get(i).get(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
        }
    }

    @Test
    void anIdleHandlerStopsAtOnce() throws Exception {
        rt.start();
        AgentHandle<Num> h = rt.spawn("idle", Behaviors.nonBlocking((ctx, m) -> { }));
        h.stop();
        assertEquals(null, h.join(WATCHDOG));
        assertEquals(AgentState.STOPPED, h.state());
        assertTrue(rt.lookup("idle").isEmpty(), "the name is free after the end");
    }

    @Test
    void immediateStopInterruptsABlockedBlockingFriendlyHandler() throws Exception {
        rt.start();
        CountDownLatch blocked = new CountDownLatch(1);
        AgentHandle<Num> h = rt.spawn("sleeper", Behaviors.receive((ctx, m) -> {
            blocked.countDown();
            new CountDownLatch(1).await(); // never counted down
        }));
        h.ref().signal(new Num(0));
        assertTrue(blocked.await(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
        h.stopNow();
        h.join(WATCHDOG);
        assertEquals(AgentState.STOPPED, h.state(), "an interrupt caused by a stop is not a failure");
    }

    @Test
    void handlersCarryTheirAddressAsSenderAndAnswerAsks() throws Exception {
        rt.start();
        AgentHandle<Num> doubler = rt.spawn("doubler", Behaviors.nonBlocking(
                (ctx, m) -> ctx.reply(m, new Num(m.payload().n() * 2))));
        AgentRuntimeTest.CompletableFutureCheck.assertReply(doubler.ref().ask(new Num(21), Num.class, WATCHDOG),
                new Num(42));
        AtomicReference<Tag> sender = new AtomicReference<>();
        CountDownLatch got = new CountDownLatch(1);
        AgentHandle<Num> sink = rt.spawn("sink", Behaviors.nonBlocking((ctx, m) -> {
            sender.set(m.sender());
            got.countDown();
        }));
        AgentHandle<Num> relay = rt.spawn("relay", Behaviors.receive((ctx, m) -> sink.ref().signal(m.payload())));
        relay.ref().signal(new Num(1));
        assertTrue(got.await(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
        assertSame(relay.ref(), sender.get());
    }

    @Test
    void aNonBlockingSenderIsNeverParkedByAFullBlockingMailboxAndLosesNothing() throws Exception {
        rt.start();
        CountDownLatch release = new CountDownLatch(1);
        MailboxSettings tiny = MailboxSettings.DEFAULTS.withCapacity(4).withWatermarks(3, 1)
                .withOverflow(OverflowPolicy.BLOCK);
        List<Integer> got = new CopyOnWriteArrayList<>();
        AgentHandle<Num> slow = rt.spawn("slow", Behaviors.receive((ctx, m) -> {
            release.await();
            got.add(m.payload().n());
        }), SpawnOptions.DEFAULTS.withMailbox(tiny));
        List<Boolean> acknowledged = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        AgentHandle<Num> flooder = rt.spawn("flooder", Behaviors.nonBlocking((ctx, m) -> {
            for (int i = 0; i < 100; i++) {
                acknowledged.add(slow.ref().signal(new Num(i))); // taken, or kept by the muted sender: never waits
            }
            done.countDown();
        }));
        flooder.ref().signal(new Num(0));
        assertTrue(done.await(WATCHDOG.toSeconds(), TimeUnit.SECONDS), "the handler's call returned at once");
        assertEquals(100, acknowledged.stream().filter(b -> b).count());
        assertEquals(AgentState.RUNNING, flooder.state());
        release.countDown();
        Await.until(() -> got.size() == 100);
        assertEquals(java.util.stream.IntStream.range(0, 100).boxed().toList(), got, "all of them, in order");
    }
}
