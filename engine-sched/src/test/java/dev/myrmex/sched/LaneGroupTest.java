package dev.myrmex.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Await;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** Lane groups: runs taken in rank order by a bounded number of carriers, with no lost wake-up. */
class LaneGroupTest {

    @Test
    void runsAreTakenSmallestRankFirstAndTiesInArrivalOrder() throws InterruptedException {
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(1).build()) {
            LaneGroup group = s.newLaneGroup("ordered", 1);
            List<String> order = new CopyOnWriteArrayList<>();
            CountDownLatch release = holdTheDrainer(group, 0, s); // the rest queue behind it
            CountDownLatch done = new CountDownLatch(5);
            submit(group, "rank5", 5, order, done);
            submit(group, "rank1-a", 1, order, done);
            submit(group, "rank3", 3, order, done);
            submit(group, "rank1-b", 1, order, done);
            submit(group, "rank-2", -2, order, done);
            assertEquals(5, group.queued());
            release.countDown();
            Await.latch(done, s::stats);
            assertEquals(List.of("rank-2", "rank1-a", "rank1-b", "rank3", "rank5"), order);
            assertEquals(0, group.queued());
        }
    }

    @Test
    void ranksCompareBySignedDifferenceSoThatTimeRanksMayWrap() throws InterruptedException {
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(1).build()) {
            LaneGroup group = s.newLaneGroup("wrapping", 1);
            List<String> order = new CopyOnWriteArrayList<>();
            CountDownLatch release = holdTheDrainer(group, Long.MAX_VALUE - 5, s);
            CountDownLatch done = new CountDownLatch(2);
            submit(group, "after-wrap", Long.MIN_VALUE + 5, order, done); // 10 after the next one
            submit(group, "before-wrap", Long.MAX_VALUE - 4, order, done);
            release.countDown();
            Await.latch(done, s::stats);
            assertEquals(List.of("before-wrap", "after-wrap"), order);
        }
    }

    @Test
    void noMoreThanParallelismCarriersRunTheGroupAtOnce() throws InterruptedException {
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(2).build()) {
            LaneGroup group = s.newLaneGroup("narrow", 1);
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            int tasks = 20_000;
            CountDownLatch done = new CountDownLatch(tasks);
            Lane[] lanes = new Lane[8];
            for (int i = 0; i < lanes.length; i++) {
                lanes[i] = group.newLane("lane-" + i, RunHook.NONE, () -> 0);
            }
            Thread[] producers = new Thread[2];
            for (int p = 0; p < producers.length; p++) {
                int id = p;
                producers[p] = s.threadBuilder().start(() -> {
                    for (int i = id; i < tasks; i += producers.length) {
                        lanes[i % lanes.length].executor().execute(() -> {
                            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            Thread.onSpinWait();
                            inside.decrementAndGet();
                            done.countDown();
                        });
                    }
                });
            }
            Await.latch(done, s::stats);
            assertEquals(1, most.get(), "runs of a group of parallelism 1 overlapped");
        }
    }

    @Test
    void everySubmissionRunsExactlyOnceThroughRoundsOfIdleness() throws InterruptedException {
        for (int parallelism = 1; parallelism <= 2; parallelism++) {
            runRoundsOfIdleness(parallelism);
        }
    }

    private static void runRoundsOfIdleness(int parallelism) throws InterruptedException {
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(2).build()) {
            LaneGroup group = s.newLaneGroup("stress", parallelism);
            LongAdder ran = new LongAdder();
            Lane[] lanes = new Lane[16];
            AtomicInteger rank = new AtomicInteger();
            for (int i = 0; i < lanes.length; i++) {
                lanes[i] = group.newLane("lane-" + i, RunHook.NONE, () -> rank.incrementAndGet() % 7);
            }
            long expected = 0;
            for (int round = 0; round < 1000; round++) {
                int perProducer = 1 + round % 8; // short rounds: the drainers retire (and race producers) often
                Thread[] producers = new Thread[3];
                for (int p = 0; p < producers.length; p++) {
                    int id = p;
                    // Platform and virtual producers: submissions from outside the carriers and from on them.
                    Thread.Builder b = p == 0 ? Thread.ofPlatform() : s.threadBuilder();
                    producers[p] = b.start(() -> {
                        for (int i = 0; i < perProducer; i++) {
                            lanes[(id * 31 + i) % lanes.length].executor().execute(ran::increment);
                        }
                    });
                }
                for (Thread t : producers) {
                    Await.join(t, s::stats);
                }
                expected += (long) perProducer * producers.length;
                long want = expected;
                // Every round ends with the group drained and its drainers retiring: a lost wake-up strands a run.
                Await.until(() -> ran.sum() == want, () -> "ran " + ran.sum() + " of " + want + "; " + group);
            }
            assertEquals(expected, ran.sum());
        }
    }

    @Test
    void virtualThreadsOfAMemberLaneRunThroughItsHookAndAreCarriedByTheScheduler() throws InterruptedException {
        AtomicInteger before = new AtomicInteger();
        AtomicInteger after = new AtomicInteger();
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(2).build()) {
            LaneGroup group = s.newLaneGroup("vt", 2);
            Lane lane = group.newLane("agent", new RunHook() {
                @Override
                public void beforeRun() {
                    before.incrementAndGet();
                }

                @Override
                public void afterRun() {
                    after.incrementAndGet();
                }
            }, () -> 0);
            AtomicInteger steps = new AtomicInteger();
            Thread t = lane.threadBuilder().name("member").start(() -> {
                for (int i = 0; i < 5; i++) {
                    steps.incrementAndGet();
                    Thread.yield();
                }
            });
            Await.join(t, s::stats);
            assertEquals(5, steps.get());
            assertTrue(s.carries(t));
            assertTrue(before.get() >= 2, "a start and at least one yield make separate runs: " + before.get());
            // the join returns when the thread ends, inside its last run: that run's afterRun comes just after
            Await.until(() -> after.get() == before.get(), () -> "before " + before.get() + ", after " + after.get());
            assertFalse(lane.lifoEligible());
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> lane.lifoEligible(true));
            assertTrue(e.getMessage().contains("rank order"), e.getMessage());
        }
    }

    @Test
    void aLaneRunsOneRunAtATimeEvenWithSeveralThreadsAndRanksAfterTheRunEnded() throws InterruptedException {
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(2).build()) {
            LaneGroup group = s.newLaneGroup("serial", 2);
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            AtomicInteger runsEnded = new AtomicInteger();
            AtomicInteger staleRanks = new AtomicInteger();
            AtomicInteger hookCalls = new AtomicInteger(); // rank() must see every afterRun before it
            Lane lane = group.newLane("agent", new RunHook() {
                @Override
                public void beforeRun() {
                    if (inside.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                    }
                }

                @Override
                public void afterRun() {
                    inside.decrementAndGet();
                    runsEnded.incrementAndGet();
                }
            }, () -> {
                if (inside.get() != 0) {
                    staleRanks.incrementAndGet(); // ranked while a run of the lane was still going
                }
                return hookCalls.incrementAndGet();
            });
            Thread[] threads = new Thread[4];
            for (int i = 0; i < threads.length; i++) {
                threads[i] = lane.threadBuilder().start(() -> {
                    for (int k = 0; k < 500; k++) {
                        Thread.yield();
                    }
                });
            }
            for (Thread t : threads) {
                Await.join(t, s::stats);
            }
            assertEquals(0, overlaps.get(), "two runs of one lane overlapped");
            assertEquals(0, staleRanks.get(), "a run was ranked before the one in flight had ended");
            assertTrue(runsEnded.get() > threads.length);
        }
    }

    @Test
    void badArgumentsAreRefused() {
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(1).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.newLaneGroup("g", 0));
            assertTrue(e.getMessage().contains("parallelism must be at least 1: 0"), e.getMessage());
            LaneGroup g = s.newLaneGroup("g", 1);
            assertThrows(NullPointerException.class, () -> g.newLane("x", RunHook.NONE, null));
        }
    }

    private static void submit(LaneGroup group, String label, long rank, List<String> order, CountDownLatch done) {
        group.newLane(label, RunHook.NONE, () -> rank).executor().execute(() -> {
            order.add(label);
            done.countDown();
        });
    }

    /** Makes the group's only drainer run a task (at {@code rank}) that holds on until the returned latch opens. */
    private static CountDownLatch holdTheDrainer(LaneGroup group, long rank, WorkStealingScheduler s)
            throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        group.newLane("blocker", RunHook.NONE, () -> rank).executor().execute(() -> {
            holding.countDown();
            while (release.getCount() > 0) {
                Thread.onSpinWait(); // holds the carrier without parking it: a carrier must never park
            }
        });
        Await.latch(holding, s::stats);
        return release;
    }
}
