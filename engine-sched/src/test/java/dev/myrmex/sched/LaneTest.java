package dev.myrmex.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Await;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Lanes: the per-agent (or per-class) executors scheduling policies hook into. */
class LaneTest {

    @Test
    void everyRunOfALanesThreadPassesThroughItsHook() throws InterruptedException {
        AtomicInteger before = new AtomicInteger();
        AtomicInteger after = new AtomicInteger();
        AtomicInteger inside = new AtomicInteger(); // hook nesting must be exactly 1 while the thread runs
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(2).build()) {
            Lane lane = s.newLane("agent-1", new RunHook() {
                @Override
                public void beforeRun() {
                    before.incrementAndGet();
                    inside.incrementAndGet();
                }

                @Override
                public void afterRun() {
                    inside.decrementAndGet();
                    after.incrementAndGet();
                }
            });
            AtomicInteger nestingSeen = new AtomicInteger(-1);
            AtomicInteger newRuns = new AtomicInteger(); // yields that unmounted: the JDK may decline one
            AtomicInteger oddSteps = new AtomicInteger();
            Thread t = lane.threadBuilder().start(() -> {
                for (int i = 0; i < 10; i++) {
                    int runsBefore = before.get();
                    Thread.yield(); // ends this run and starts another, unless the continuation could not yield
                    int step = before.get() - runsBefore;
                    if (step == 1) {
                        newRuns.incrementAndGet();
                    } else if (step != 0) {
                        oddSteps.incrementAndGet();
                    }
                }
                nestingSeen.set(inside.get());
            });
            Await.join(t, s::stats);
            assertEquals(1, nestingSeen.get());
            assertEquals(0, oddSteps.get(), "a yield made more than one run");
            assertTrue(newRuns.get() >= 5, "most yields unmount: " + newRuns.get() + " of 10 did");
            assertEquals(1 + newRuns.get(), before.get(), "one run to start, one after each yield that unmounted");
            // The last run's afterRun follows the thread's end, which join may see first: wait for it.
            Await.until(() -> after.get() == before.get(), () -> after.get() + " afterRun of " + before.get()
                    + " runs");
            assertEquals(before.get(), after.get());
            assertTrue(s.carries(t));
            assertEquals("agent-1", lane.name());
        }
    }

    @Test
    void aHookThatThrowsDoesNotStopTheThread() throws InterruptedException {
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(1).build()) {
            Lane lane = s.newLane("faulty", new RunHook() {
                @Override
                public void beforeRun() {
                    throw new IllegalStateException("policy bug (expected by the test)");
                }

                @Override
                public void afterRun() {
                    throw new IllegalStateException("policy bug (expected by the test)");
                }
            });
            AtomicInteger ran = new AtomicInteger();
            Thread t = lane.threadBuilder().start(() -> {
                ran.incrementAndGet();
                Thread.yield();
                ran.incrementAndGet();
            });
            Await.join(t, s::stats);
            assertEquals(2, ran.get());
        }
    }

    @Test
    void aLaneOutOfLifoIsNotRunFromTheLifoSlot() throws InterruptedException {
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(1).build()) {
            Lane hot = s.newLane("hot", RunHook.NONE);
            Lane cold = s.newLane("cold", RunHook.NONE);
            cold.lifoEligible(false);
            assertTrue(hot.lifoEligible());
            assertEquals(false, cold.lifoEligible());
            long lifoBefore = s.stats().lifoHits();
            Thread coldThread = cold.threadBuilder().start(() -> {
                for (int i = 0; i < 1000; i++) {
                    LockSupport.park();
                }
            });
            AtomicLong wakes = new AtomicLong();
            Thread waker = hot.threadBuilder().start(() -> {
                while (coldThread.isAlive()) {
                    LockSupport.unpark(coldThread);
                    wakes.incrementAndGet();
                    Thread.yield();
                }
            });
            Await.join(coldThread, s::stats);
            Await.join(waker, s::stats);
            // The waker yields (local tail), the cold thread is woken to the local tail too: neither uses the slot.
            assertEquals(lifoBefore, s.stats().lifoHits(), s.stats().toString());
            assertTrue(wakes.get() >= 1000);
        }
    }
}
