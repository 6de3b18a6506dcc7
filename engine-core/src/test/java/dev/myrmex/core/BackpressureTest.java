package dev.myrmex.core;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.mailbox.MailboxFullException;
import dev.myrmex.core.mailbox.MailboxSettings;
import dev.myrmex.core.mailbox.OverflowPolicy;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Backpressure that never waits on a carrier and never loses: non-blocking handlers are muted (their sends kept, in
 * order), outside threads are held back, and mailboxes can be unbounded or have no watermarks.
 */
class BackpressureTest {
    record Seq(int sender, int n) implements Val {
    }

    record Hop(int id, int left) implements Val {
    }

    /** Small: the flood reaches the watermarks and the capacity at once. */
    static final MailboxSettings SMALL = new MailboxSettings(16, 12, 4, OverflowPolicy.BLOCK, Duration.ofSeconds(30));

    @Test
    void aHandlerFloodingAFullMailboxOnTheOnlyCarrierIsMutedAndLosesNothing() throws Exception {
        // One worker: a sender that waited on its carrier would keep the receiver from ever running.
        try (AgentRuntime rt = AgentRuntime.builder().workers(1).build()) {
            rt.start();
            List<DeadLetter> dead = new CopyOnWriteArrayList<>();
            rt.deadLetters().subscribe(dead::add);
            int senders = 3;
            int each = 3000;
            InOrder order = new InOrder(senders);
            CountDownLatch all = new CountDownLatch(senders * each);
            AgentHandle<Seq> receiver = rt.spawn("receiver", Behaviors.<Seq>nonBlocking((ctx, m) -> {
                order.take(m.payload());
                all.countDown();
            }), SpawnOptions.DEFAULTS.withMailbox(SMALL));
            for (int i = 0; i < senders; i++) {
                int id = i;
                int[] sent = {0};
                // Each message taken sends 3 to the receiver: the flood outruns the receiver's turns.
                AgentHandle<Seq> sender = rt.spawn("sender-" + i, Behaviors.<Seq>nonBlocking((ctx, m) -> {
                    for (int k = 0; k < 3 && sent[0] < each; k++) {
                        receiver.ref().signal(new Seq(id, sent[0]++));
                    }
                }), SpawnOptions.DEFAULTS.withMailbox(MailboxSettings.unbounded()));
                for (int k = 0; k < each / 3; k++) {
                    sender.ref().signal(new Seq(id, k));
                }
            }
            assertTrue(all.await(WATCHDOG.toSeconds(), TimeUnit.SECONDS),
                    "received " + (senders * each - all.getCount()) + "; " + rt.metrics());
            assertEquals(0, order.outOfOrder(), "per-sender order");
            assertEquals(List.of(), dead);
            assertTrue(rt.metrics().mutes() > 0, "the senders were muted: " + rt.metrics().mutes());
            for (AgentHandle<?> a : rt.agents()) {
                assertEquals(AgentState.RUNNING, a.state(), a.name());
            }
        }
    }

    @Test
    void twoHandlersFloodingEachOtherDoNotDeadlock() throws Exception {
        // What happens: both mailboxes fill up; a handler that is overloaded itself, or that others wait for, is not
        // kept from running when muted while it has room to keep sends (it drains its own mailbox while its kept
        // sends wait); 2 x (16 in a mailbox + 64 kept) places hold more than the 120 hops, so no cycle of muted agents
        // forms, the pair keeps moving and every hop arrives. Rounds: each meets the races anew.
        for (int round = 0; round < 20; round++) {
            Flood f = flood(SMALL, 60, 50);
            assertEquals(120, f.seeded());
            assertEquals(120, f.arrived(), "every hop arrived, round " + round + ": " + f);
            assertEquals(List.of(), f.dead());
            assertTrue(f.mutes() > 0, "the flood muted them: " + f.mutes());
        }
    }

    @Test
    void aHeavierFloodIsAccountedForHopByHop() throws Exception {
        // Far more in flight than the two mailboxes hold: the seeder is held back (or refused after the block
        // timeout), and every hop seeded either arrives or, had a kept send's mailbox stayed full for the block
        // timeout, is a counted dead letter (MAILBOX_FULL). On this pair the exemptions keep everything moving.
        Flood f = flood(SMALL.withBlockTimeout(Duration.ofMillis(200)), 400, 20);
        assertEquals(f.seeded(), f.arrived() + f.dead().size(), "every hop is accounted for: " + f);
        assertTrue(f.dead().stream().allMatch(d -> d.reason() == DeadLetter.Reason.MAILBOX_FULL), f.dead().toString());
    }

    @Test
    void anOverloadedHandlerWhoseKeptSendsReachTheirBoundIsMutedRatherThanFailed() throws Exception {
        // Overloaded agents keep running while muted, so that they drain their own mailbox; one that keeps running
        // only while it has room to keep sends never goes past the bound (64 here) by sending one per message.
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {
            rt.start();
            List<DeadLetter> dead = new CopyOnWriteArrayList<>();
            rt.deadLetters().subscribe(dead::add);
            int total = 200;
            InOrder order = new InOrder(1);
            AgentHandle<Seq> slow = rt.spawn("slow", Behaviors.<Seq>nonBlocking((ctx, m) -> order.take(m.payload())),
                    SpawnOptions.DEFAULTS.withMailbox(SMALL.withoutWatermarks().withCapacity(4)));
            slow.pause();
            Await.until(() -> slow.state() == AgentState.PAUSED);
            AgentHandle<Seq> relay = rt.spawn("relay", Behaviors.<Seq>nonBlocking((ctx, m) -> slow.ref().signal(
                    m.payload())),
                    SpawnOptions.DEFAULTS.withMailbox(SMALL));
            AtomicInteger sent = new AtomicInteger();
            Thread outside = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < total; i++) {
                    relay.ref().signal(new Seq(0, i)); // held back at the relay's high watermark: it is overloaded
                    sent.incrementAndGet();
                }
            });
            // Then all of them wait: the slow mailbox full, the relay muted with 64 kept, the rest in its mailbox, the
            // outside thread held back (its last send is in but has not returned).
            Await.until(() -> relay.state() != AgentState.RUNNING || outside.getState() == Thread.State.TIMED_WAITING
                    && sent.get() + 1 - slow.metrics().mailboxDepth() - relay.metrics().mailboxDepth() == 64);
            assertEquals(AgentState.RUNNING, relay.state(), "the relay was muted, not failed: " + dead);
            slow.resume();
            assertTrue(outside.join(WATCHDOG), "released once the slow agent drained");
            Await.until(() -> order.taken() == total);
            assertEquals(0, order.outOfOrder(), "the relay's order");
            assertEquals(List.of(), dead);
            assertEquals(AgentState.RUNNING, relay.state());
        }
    }

    @Test
    void aMutedHandlerWhoseRecipientNeverDrainsIsHeldAtMostTheBlockTimeout() throws Exception {
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {
            rt.start();
            List<DeadLetter> dead = new CopyOnWriteArrayList<>();
            rt.deadLetters().subscribe(dead::add);
            MailboxSettings stuck = SMALL.withoutWatermarks().withCapacity(4).withBlockTimeout(Duration.ofMillis(300));
            AgentHandle<Seq> full = rt.spawn("never-drains", Behaviors.<Seq>nonBlocking((ctx, m) -> { }),
                    SpawnOptions.DEFAULTS.withMailbox(stuck));
            full.pause();
            Await.until(() -> full.state() == AgentState.PAUSED);
            for (int i = 0; i < 4; i++) {
                full.ref().signal(new Seq(0, i));
            }
            AtomicLong handled = new AtomicLong();
            AgentHandle<Seq> sender = rt.spawn("sender", Behaviors.<Seq>nonBlocking((ctx, m) -> {
                if (m.payload().n() == 0) {
                    full.ref().signal(new Seq(1, 0)); // kept; muted
                }
                handled.incrementAndGet();
            }));
            sender.ref().signal(new Seq(1, 0));
            sender.ref().signal(new Seq(1, 1)); // waits behind the mute
            Await.until(() -> dead.size() == 1); // after the block timeout, not for ever
            assertEquals(DeadLetter.Reason.MAILBOX_FULL, dead.getFirst().reason());
            assertEquals(new Seq(1, 0), dead.getFirst().message().payload());
            assertInstanceOf(MailboxFullException.class, dead.getFirst().cause());
            Await.until(() -> handled.get() == 2); // and the sender goes on
            assertEquals(AgentState.RUNNING, sender.state());
            full.resume();
        }
    }

    /**
     * What one receiver took, and how many of its messages came out of their sender's order (each sender numbers its
     * messages 0, 1, 2, ...). Written by the receiver's turns only, read by the test.
     */
    static final class InOrder {
        private final int[] next;
        private final AtomicInteger outOfOrder = new AtomicInteger();
        private final AtomicLong taken = new AtomicLong();

        InOrder(int senders) {
            next = new int[senders];
        }

        void take(Seq s) {
            if (s.n() != next[s.sender()]) {
                outOfOrder.incrementAndGet();
            }
            next[s.sender()] = s.n() + 1;
            taken.incrementAndGet();
        }

        int outOfOrder() {
            return outOfOrder.get();
        }

        long taken() {
            return taken.get();
        }
    }

    record Flood(int seeded, long arrived, List<DeadLetter> dead, long mutes) {
    }

    /** Two handlers that forward each hop to the other until it has none left; seeded from outside. */
    private static Flood flood(MailboxSettings settings, int seedsEach, int hops) throws Exception {
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {
            rt.start();
            List<DeadLetter> dead = new CopyOnWriteArrayList<>();
            rt.deadLetters().subscribe(dead::add);
            AtomicLong arrived = new AtomicLong();
            AgentRef<Hop>[] pair = newPair();
            List<AgentHandle<Hop>> handles = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                int other = 1 - i;
                handles.add(rt.<Hop>spawn("flood-" + i, Behaviors.nonBlocking((ctx, m) -> {
                    Hop h = m.payload();
                    if (h.left() == 0) {
                        arrived.incrementAndGet();
                    } else {
                        pair[other].signal(new Hop(h.id(), h.left() - 1));
                    }
                }), SpawnOptions.DEFAULTS.withMailbox(settings)));
                pair[i] = handles.get(i).ref();
            }
            AtomicInteger seeded = new AtomicInteger();
            Thread seeder = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < seedsEach; i++) {
                    for (int side = 0; side < 2; side++) {
                        try {
                            pair[side].signal(new Hop(side * seedsEach + i, hops));
                            seeded.incrementAndGet();
                        } catch (MailboxFullException refused) {
                            // stayed full for the block timeout: not seeded, and the seeder was told
                        }
                    }
                }
            });
            assertTrue(seeder.join(WATCHDOG), "the seeder finished");
            Await.until(() -> arrived.get() + dead.size() == seeded.get());
            for (AgentHandle<?> a : handles) { // not rt.agents(): a failed agent is no longer listed there
                assertEquals(AgentState.RUNNING, a.state(), a.name());
            }
            return new Flood(seeded.get(), arrived.get(), List.copyOf(dead), rt.metrics().mutes());
        }
    }

    @SuppressWarnings("unchecked")
    private static AgentRef<Hop>[] newPair() {
        return (AgentRef<Hop>[]) new AgentRef<?>[2];
    }

    @Test
    void anOutsideThreadIsHeldBackAboveTheHighWatermarkUntilTheReceiverDrains() throws Exception {
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {
            rt.start();
            AtomicLong got = new AtomicLong();
            AgentHandle<Seq> receiver = rt.spawn("slow", Behaviors.<Seq>nonBlocking((ctx, m) -> got.incrementAndGet()),
                    SpawnOptions.DEFAULTS.withMailbox(SMALL));
            receiver.pause();
            Await.until(() -> receiver.state() == AgentState.PAUSED);
            Thread outside = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 12; i++) {
                    receiver.ref().signal(new Seq(0, i)); // the 12th reaches the high watermark
                }
            });
            Await.until(() -> outside.getState() == Thread.State.TIMED_WAITING && receiver.metrics()
                    .mailboxDepth() == 12);
            assertTrue(outside.isAlive(), "held back while the receiver is paused");
            receiver.resume();
            assertTrue(outside.join(WATCHDOG), "released once the receiver drained");
            Await.until(() -> got.get() == 12);
        }
    }

    @Test
    void anUnboundedMailboxNeverHoldsBackAndWatermarksCanBeTurnedOff() throws Exception {
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {
            rt.start();
            AtomicLong got = new AtomicLong();
            AgentHandle<Seq> unbounded = rt.spawn("unbounded",
                    Behaviors.<Seq>nonBlocking((ctx, m) -> got.incrementAndGet()),
                    SpawnOptions.DEFAULTS.withMailbox(MailboxSettings.unbounded()));
            unbounded.pause();
            Await.until(() -> unbounded.state() == AgentState.PAUSED);
            for (int i = 0; i < 100_000; i++) {
                unbounded.ref().signal(new Seq(0, i)); // would be held back at 800 with the defaults
            }
            assertEquals(100_000, unbounded.metrics().mailboxDepth());
            unbounded.resume();
            Await.until(() -> got.get() == 100_000);

            AgentHandle<Seq> noMarks = rt.spawn("no-watermarks", Behaviors.<Seq>nonBlocking((ctx, m) -> { }),
                    SpawnOptions.DEFAULTS.withMailbox(SMALL.withoutWatermarks()));
            noMarks.pause();
            Await.until(() -> noMarks.state() == AgentState.PAUSED);
            for (int i = 0; i < 16; i++) {
                noMarks.ref().signal(new Seq(0, i)); // up to the capacity, never held back
            }
            assertEquals(16, noMarks.metrics().mailboxDepth());
            noMarks.resume();
        }
    }

    @Test
    void capacitiesAMailboxCannotHoldAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MailboxSettings(Integer.MAX_VALUE - 1, 10, 5, OverflowPolicy.BLOCK, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("2147483646"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MailboxSettings.DEFAULTS.withCapacity((1 << 30) + 1));
        assertTrue(MailboxSettings.DEFAULTS.withCapacity(MailboxSettings.UNBOUNDED).isUnbounded());
        assertTrue(MailboxSettings.unbounded().isUnbounded());
        assertTrue(!MailboxSettings.unbounded().hasWatermarks());
        assertThrows(IllegalArgumentException.class,
                () -> new MailboxSettings(10, 0, 3, OverflowPolicy.BLOCK, Duration.ofSeconds(1)));
    }

    @Test
    void aMutedHandlerThatIsStoppedDeadLettersWhatItKeptInsteadOfLosingIt() throws Exception {
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {
            rt.start();
            List<DeadLetter> dead = new CopyOnWriteArrayList<>();
            rt.deadLetters().subscribe(dead::add);
            MailboxSettings four = SMALL.withoutWatermarks().withCapacity(4);
            AtomicLong got = new AtomicLong();
            AgentHandle<Seq> full = rt.spawn("full", Behaviors.<Seq>nonBlocking((ctx, m) -> got.incrementAndGet()),
                    SpawnOptions.DEFAULTS.withMailbox(four));
            full.pause();
            Await.until(() -> full.state() == AgentState.PAUSED);
            for (int i = 0; i < 4; i++) {
                full.ref().signal(new Seq(0, i)); // full now, and paused: it will not drain
            }
            List<Boolean> acknowledged = new CopyOnWriteArrayList<>();
            AgentHandle<Seq> sender = rt.spawn("sender", Behaviors.<Seq>nonBlocking((ctx, m) -> {
                for (int i = 0; i < 8; i++) {
                    acknowledged.add(full.ref().signal(new Seq(1, i))); // kept, in order: the mailbox is full
                }
            }));
            sender.ref().signal(new Seq(1, -1));
            Await.until(() -> acknowledged.size() == 8 && rt.metrics().mutes() == 1);
            assertEquals(List.of(true, true, true, true, true, true, true, true), acknowledged);
            sender.stop(); // muted and parked: the stop still gets a turn
            sender.join(WATCHDOG);
            Await.until(() -> dead.size() == 8);
            for (int i = 0; i < 8; i++) {
                DeadLetter d = dead.get(i);
                assertEquals(DeadLetter.Reason.MAILBOX_FULL, d.reason());
                assertEquals(new Seq(1, i), d.message().payload(), "in the order they were sent");
            }
            full.resume();
            Await.until(() -> got.get() == 4);
        }
    }
}
