package dev.myrmex.core.coord;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.coord.GossipSwarm.News;
import dev.myrmex.testkit.Await;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GossipTest {
    private static final int FANOUT = Gossip.DEFAULT_FANOUT;

    /**
     * A round limit past which gossip alone misses a live member with a chance of about {@code e^-21}: with a share
     * {@code c} of the members crashed, an informed member's pushes reach live ones at the rate
     * {@code f = fanout (1 - c)}, so the informed grow {@code (1 + f)}-fold a round and, near the end, a live member
     * stays uninformed through a round with a chance of {@code e^-f}.
     */
    static int safeRoundLimit(int n, int crashedPercent) {
        double f = FANOUT * (1 - crashedPercent / 100.0);
        double ln = Math.log(Math.max(2, n));
        return (int) Math.min(Gossip.MAX_ROUND_LIMIT, Math.ceil(ln / Math.log(1 + f) + (ln + 21) / f));
    }

    /**
     * The fewest rounds in which any run can reach {@code reached} members: the broadcaster and every informed member
     * push to {@code fanout} peers a round, so after {@code r} rounds at most {@code (fanout + 1)^r - 1} are informed.
     */
    static int fewestRounds(int reached) {
        int r = 0;
        for (long informed = 0; informed < reached; r++) {
            informed = (FANOUT + 1) * informed + FANOUT;
        }
        return r;
    }

    /**
     * Property, repair off: for N members up to 10,000, up to half of them crashed (stopped) before the broadcast,
     * gossip alone hands every live member each broadcast exactly once, from its own relay, and no crashed one; the
     * report agrees (every crashed member unreachable or missed), every rumour sent was handled and receipted, and
     * the rounds lie between the fewest possible and the limit. With forwarding removed only the broadcaster's own
     * pushes arrive, and this fails.
     */
    @Test
    void gossipAloneHandsEachBroadcastToEveryLiveMemberExactlyOnce() {
        qt().withExamples(12).withShrinkCycles(0)
                .forAll(integers().between(1, 10_000), integers().between(0, 50), integers().between(0, 1 << 30))
                .checkAssert(GossipTest::gossipAlone);
    }

    @Test
    void tenThousandMembersAThirdOfThemCrashed() {
        gossipAlone(10_000, 33, 7);
    }

    private static void gossipAlone(int n, int crashedPercent, int seed) {
        int broadcasts = 2;
        try (GossipSwarm s = new GossipSwarm(n, crashedPercent, seed, broadcasts, "g");
                Gossip<News> gossip = Gossip.builder(s.rt, "g", s.refs).repair(false)
                        .roundLimit(safeRoundLimit(n, crashedPercent)).build()) {
            for (int b = 0; b < broadcasts; b++) {
                GossipReport r = gossip.broadcast(new News(b)).get(WATCHDOG.toSeconds(), TimeUnit.SECONDS);
                String what = n + " members, " + s.crashed.size() + " crashed, " + gossip + ": " + r;
                assertEquals(s.live(), r.reachedByGossip(), what);
                assertEquals(0, r.reachedByRepair(), what);
                assertEquals(0, r.repairs(), what);
                Set<Integer> lost = s.indices(r.unreachable());
                lost.addAll(s.indices(r.missed()));
                assertEquals(s.crashed, lost, what);
                assertEquals(s.crashed.size(), r.unreachable().size() + r.missed().size(), what);
                assertEquals(r.rumours(), r.receipts(), "every rumour handled and receipted: " + what);
                assertTrue(r.rounds() <= gossip.roundLimit(), what);
                assertTrue(r.rounds() >= fewestRounds(s.live()), what);
                assertNull(s.check(b, s.liveMembers(), 0), what);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Property, repair on: for N members up to 3,000, any share of them crashed and a round limit from 1 to 12 (so
     * that gossip often misses members), every live member gets each broadcast exactly once, from its relay or from
     * the repair (no sender), no crashed member gets it, and the report's split between gossip and repair is what
     * the members saw.
     */
    @Test
    void withTheRepairEveryLiveMemberGetsEachBroadcastExactlyOnceAndTheReportSaysHow() {
        qt().withExamples(15).withShrinkCycles(0)
                .forAll(integers().between(1, 3_000), integers().between(0, 100), integers().between(1, 12),
                        integers().between(0, 1 << 30))
                .checkAssert(GossipTest::withRepair);
    }

    private static void withRepair(int n, int crashedPercent, int roundLimit, int seed) {
        int broadcasts = 2;
        try (GossipSwarm s = new GossipSwarm(n, crashedPercent, seed, broadcasts, "g");
                Gossip<News> gossip = Gossip.builder(s.rt, "g", s.refs).roundLimit(roundLimit).build()) {
            for (int b = 0; b < broadcasts; b++) {
                GossipReport r = gossip.broadcast(new News(b)).get(WATCHDOG.toSeconds(), TimeUnit.SECONDS);
                String what = n + " members, " + s.crashed.size() + " crashed, " + gossip + ": " + r;
                assertEquals(s.live(), r.reached(), what);
                assertEquals(s.crashed, s.indices(r.unreachable()), what);
                assertEquals(List.of(), r.missed(), what);
                assertTrue(r.repairs() >= r.reachedByRepair() && r.repairs() <= n - r.reachedByGossip(), what);
                assertEquals(r.rumours(), r.receipts(), "every rumour handled and receipted: " + what);
                assertNull(s.check(b, s.liveMembers(), r.reachedByRepair()), what);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRoundLimitOfOneStopsGossipAtTheFirstRound() throws Exception {
        try (GossipSwarm s = new GossipSwarm(50, 0, 3, 1, "g");
                Gossip<News> gossip = Gossip.builder(s.rt, "g", s.refs).fanout(2).roundLimit(1).build()) {
            GossipReport r = gossip.broadcast(new News(0)).get(WATCHDOG.toSeconds(), TimeUnit.SECONDS);
            String what = "the broadcaster's 2 pushes of round 1, then nothing: " + r;
            assertEquals(1, r.rounds(), what);
            assertEquals(2, r.reachedByGossip(), what);
            assertEquals(48, r.reachedByRepair(), what);
            assertEquals(2, r.rumours(), what);
            assertEquals(2, r.receipts(), what);
            assertEquals(48, r.repairs(), what);
            assertNull(s.check(0, s.liveMembers(), 48));
        }
    }

    @Test
    void closingWhileABroadcastSpreadsStillDeliversItToEveryMemberAndRefusesLaterOnes() throws Exception {
        int n = 5_000;
        try (GossipSwarm s = new GossipSwarm(n, 0, 5, 1, "g")) {
            Gossip<News> gossip = Gossip.builder(s.rt, "g", s.refs).build();
            CompletableFuture<GossipReport> pending = gossip.broadcast(new News(0));
            gossip.close();
            GossipReport r = pending.get(WATCHDOG.toSeconds(), TimeUnit.SECONDS);
            assertEquals(n, r.reached(), r.toString());
            assertNull(s.check(0, s.liveMembers(), r.reachedByRepair()), r.toString());
            IllegalStateException closed = assertThrows(IllegalStateException.class,
                    () -> gossip.broadcast(new News(1)));
            assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        }
    }

    /** A relay stopped from outside loses the rumours in its mailbox: the group closes itself, and says so. */
    @Test
    void aRelayThatEndsWhileTheGroupIsOpenClosesTheGroup() throws Exception {
        try (GossipSwarm s = new GossipSwarm(100, 0, 9, 1, "g");
                Gossip<News> gossip = Gossip.builder(s.rt, "g", s.refs).build()) {
            s.rt.lookup("g-relay-17").orElseThrow().stopNow();
            Await.until(() -> {
                try {
                    gossip.broadcast(new News(0));
                    return false;
                } catch (IllegalStateException e) {
                    return e.getMessage().contains("closed");
                }
            }, "the group refuses broadcasts");
            Await.until(() -> s.rt.lookup("g-relay-42").isEmpty(), "the other relays stopped too");
        }
    }

    /** Stopping the runtime under a spreading broadcast ends its report: the relays' ends close the group. */
    @Test
    void aBroadcastSpreadingWhenTheRuntimeStopsStillGetsItsReport() throws Exception {
        int n = 5_000;
        AgentRuntime rt = AgentRuntime.builder().workers(2).maxAgents(2 * n + 10).build();
        rt.start();
        List<AgentRef<News>> refs = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            refs.add(rt.<News>spawn("m" + i, dev.myrmex.core.Behaviors.nonBlocking((ctx, m) -> { })).ref());
        }
        Gossip<News> gossip = Gossip.builder(rt, "g", refs).build();
        CompletableFuture<GossipReport> pending = gossip.broadcast(new News(0));
        rt.close();
        GossipReport r = pending.get(WATCHDOG.toSeconds(), TimeUnit.SECONDS);
        assertEquals(n, r.reached() + r.unreachable().size() + r.missed().size(), r.toString());
        gossip.close();
    }

    /**
     * The relays share no state: a relay's fields are its own settings and state, addresses, and its own random
     * stream; none refers to the group, a round, another relay's state, or anything concurrent. (Before, each relay
     * held the group and wrote into a map of rounds shared by all.)
     */
    @Test
    void aRelayHoldsOnlyItsOwnStateAndAddresses() {
        Set<Class<?>> allowed = Set.of(int.class, long.class, AgentRef.class, SplittableRandom.class, Map.class,
                List.class);
        for (Field f : GossipRelay.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                assertTrue(Modifier.isFinal(f.getModifiers()) && f.getType().isPrimitive(),
                        "a static field is a constant: " + f);
                continue;
            }
            assertTrue(allowed.contains(f.getType()), "a relay holds only its own state and addresses: " + f);
        }
    }

    @Test
    void badArgumentsAreNamed() throws Exception {
        try (AgentRuntime rt = AgentRuntime.builder().workers(1).build()) {
            rt.start();
            List<AgentRef<News>> none = List.of();
            IllegalArgumentException fanout = assertThrows(IllegalArgumentException.class,
                    () -> Gossip.builder(rt, "g", none).fanout(0));
            assertTrue(fanout.getMessage().contains("fanout") && fanout.getMessage().contains("0"));
            IllegalArgumentException rounds = assertThrows(IllegalArgumentException.class,
                    () -> Gossip.builder(rt, "g", none).roundLimit(-2));
            assertTrue(rounds.getMessage().contains("roundLimit") && rounds.getMessage().contains("-2"));
            IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                    () -> Gossip.builder(rt, "g", none).roundLimit(Gossip.MAX_ROUND_LIMIT + 1));
            assertTrue(tooMany.getMessage().contains("1025"), tooMany.getMessage());
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                    () -> Gossip.builder(rt, "g", none).build());
            assertTrue(empty.getMessage().contains("members"));
        }
    }
}
