package dev.myrmex.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.myrmex.testkit.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Conservation: every virtual thread submitted to the scheduler runs to its end exactly once, and every wake-up is
 * delivered, for random mixes of where submissions come from: platform threads outside (global queue), virtual threads
 * on a worker (LIFO slot, displacement into the local queue), yields (local tail), and overflow of a local queue
 * (more than 256 started in one turn spill to the global queue).
 */
class ExactlyOnceTest {

    @Test
    void everyThreadRunsExactlyOnceForRandomSubmissionMixes() {
        // 12 shapes (1-3 workers, 0-3 yields a child): 100 examples meet each about 8 times
        qt().withExamples(100).withShrinkCycles(20)
                .forAll(integers().between(1, 4), // outside starters (platform threads)
                        integers().between(0, 600), // children each outside starter's root thread starts from inside
                        integers().between(0, 11), // workers (1 to 3) and yields per child (0 to 3), combined
                        longs().all()) // victim-choice seed
                .checkAssert((outside, children, shape, seed) ->
                        runMix(outside, children, shape % 4, 1 + shape / 4, seed));
    }

    private void runMix(int outside, int childrenPerRoot, int yields, int workers, long seed) {
        int total = outside * (1 + childrenPerRoot);
        AtomicIntegerArray runs = new AtomicIntegerArray(total);
        AtomicIntegerArray wakes = new AtomicIntegerArray(total);
        CountDownLatch done = new CountDownLatch(total);
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(workers).seed(seed).build()) {
            List<Thread> starters = new ArrayList<>();
            for (int o = 0; o < outside; o++) {
                int rootId = o * (1 + childrenPerRoot);
                starters.add(Thread.ofPlatform().start(() -> s.threadBuilder().start(() -> {
                    runs.incrementAndGet(rootId);
                    List<Thread> children = new ArrayList<>(childrenPerRoot);
                    for (int c = 1; c <= childrenPerRoot; c++) {
                        int id = rootId + c;
                        children.add(s.threadBuilder().start(() -> {
                            runs.incrementAndGet(id);
                            for (int y = 0; y < yields; y++) {
                                Thread.yield();
                            }
                            // Park until the root wakes us: a wake-up from a sibling virtual thread.
                            while (wakes.get(id) == 0) {
                                LockSupport.park();
                            }
                            done.countDown();
                        }));
                    }
                    for (int c = 0; c < children.size(); c++) {
                        wakes.set(rootId + 1 + c, 1);
                        LockSupport.unpark(children.get(c));
                    }
                    done.countDown();
                })));
            }
            for (Thread t : starters) {
                Await.join(t, s::stats);
            }
            Await.latch(done, s::stats);
            for (int i = 0; i < total; i++) {
                assertEquals(1, runs.get(i), "thread " + i + " ran " + runs.get(i) + " times; " + s.stats());
            }
            assertEquals(0, s.stats().perWorker().stream().mapToLong(SchedulerStats.WorkerStats::taskFailures).sum());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
