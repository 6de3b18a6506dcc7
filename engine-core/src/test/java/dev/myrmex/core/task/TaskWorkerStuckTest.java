package dev.myrmex.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Val;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.json.Json;
import dev.myrmex.core.metrics.HealthReport;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One attempt per worker, even when an attempt ignores its interrupt: the worker takes nothing else until the
 * attempt's thread returns; after the interrupt grace it is declared stuck (event, health, counter) and replaced, and
 * the abandoned thread's late outcome is ignored and counted. The attempt that ignores interrupts spins on a flag the
 * test sets; every wait is for a condition.
 */
class TaskWorkerStuckTest {
    private static final Duration T = Duration.ofSeconds(30);
    private static final Set<String> NAMES = Set.of("spin", "next");

    private final AtomicBoolean release = new AtomicBoolean();
    private final CountDownLatch spinning = new CountDownLatch(1);
    private final Map<String, AtomicInteger> runningOn = new ConcurrentHashMap<>();
    /** The most attempts one worker agent ran at once, ever. */
    private final AtomicInteger mostOnOneWorker = new AtomicInteger();
    private AgentRuntime rt;

    private AgentRuntime start(Duration grace) {
        rt = AgentRuntime.builder().workers(2).tasks(TaskSettings.DEFAULTS.withInterruptGrace(grace)).build();
        rt.start();
        return rt;
    }

    @AfterEach
    void tearDown() {
        release.set(true);
        if (rt != null) {
            rt.close();
        }
    }

    /** The worker: "spin" ignores interrupts (never blocks, never checks) until the test releases it. */
    private Val work(TaskContext task) {
        AtomicInteger here = runningOn.computeIfAbsent(task.worker(), k -> new AtomicInteger());
        mostOnOneWorker.accumulateAndGet(here.incrementAndGet(), Math::max);
        try {
            if (task.name().equals("spin")) {
                spinning.countDown();
                while (!release.get()) {
                    Thread.onSpinWait();
                    Thread.yield(); // lets the carrier run others; the interrupt status stays set, unread
                }
                return Json.of("late result");
            }
            return Json.of("ran on " + task.worker());
        } finally {
            here.decrementAndGet();
        }
    }

    @Test
    void aTimedOutAttemptThatIgnoresItsInterruptKeepsItsWorkerBusyThenTheWorkerIsReplaced() throws Exception {
        start(Duration.ofMillis(300));
        List<TaskId> ids = spinThenNext(Duration.ofMillis(100));
        assertEquals(TaskStatus.TIMEOUT, rt.tasks().await(ids.get(0), T).status());
        stuckThenReplacedThenLate(ids.get(0), ids.get(1), "timeout of PT0.1S passed");
    }

    @Test
    void aCancelledAttemptThatIgnoresItsInterruptKeepsItsWorkerBusyThenTheWorkerIsReplaced() throws Exception {
        start(Duration.ofMillis(300));
        List<TaskId> ids = spinThenNext(null);
        TaskId spin = ids.get(0);
        TaskId next = ids.get(1);
        assertTrue(spinning.await(30, TimeUnit.SECONDS));
        assertTrue(rt.tasks().cancel(spin));
        assertEquals(TaskStatus.CANCELLED, rt.tasks().await(spin, T).status());
        stuckThenReplacedThenLate(spin, next, "the task was cancelled");
    }

    /** Spawns the one worker "only", then submits "spin" (with {@code timeout}, or none) and "next": in that order. */
    private List<TaskId> spinThenNext(Duration timeout) {
        rt.tasks().spawnWorker("only", NAMES, this::work);
        TaskId spin = rt.tasks().submit(TaskRequest.of("spin", null).withTimeout(timeout));
        return List.of(spin, rt.tasks().submit(TaskRequest.of("next", null)));
    }

    private void stuckThenReplacedThenLate(TaskId spin, TaskId next, String interrupted) throws Exception {
        // the spinner still runs: its worker must take nothing until it is declared stuck
        Await.until(() -> rt.tasks().queueStatus().stuckWorkers() == 1 || mostOnOneWorker.get() > 1,
                "the worker declared stuck (or running a second attempt)");
        assertEquals(1, mostOnOneWorker.get(), "a worker ran two attempts at once");
        Await.until(() -> rt.health().problems().stream().anyMatch(p -> p.detail().contains("replaced by only~1")),
                "the replacement worker, named in health");

        TaskInfo n = rt.tasks().await(next, T);
        assertEquals(TaskStatus.SUCCEEDED, n.status());
        assertEquals("only~1", n.worker(), "the replacement took the next task");
        assertEquals(Json.of("ran on only~1"), n.result());

        HealthReport h = rt.health();
        assertEquals(HealthReport.Status.DEGRADED, h.status(), h.toString());
        assertEquals(1, h.stuck());
        HealthReport.AgentHealth p = h.problems().getFirst();
        assertEquals("only", p.agent());
        assertTrue(!p.live() && p.detail().contains("task " + spin) && p.detail().contains(interrupted)
                && p.detail().contains("only~1"), p.detail());
        QueueStatus q = rt.tasks().queueStatus();
        assertEquals(List.of(1, 1L, 0L, 1), List.of(q.stuckWorkers(), q.abandonedAttempts(), q.lateResults(),
                q.workers()), q.toString());
        assertTrue(rt.flushJournal(T));
        List<JournalEvent> stuck = rt.journal().query(EventFilter.ALL.types(EventType.TASK_WORKER_STUCK), 10);
        assertEquals(1, stuck.size(), stuck.toString());
        assertEquals("only", stuck.getFirst().agent());
        assertEquals(spin.toString(), stuck.getFirst().task());
        assertTrue(stuck.getFirst().details().contains("only~1"), stuck.getFirst().details());
        assertTrue(rt.lookup("only").isPresent(), "the stuck worker waits for its abandoned thread");

        release.set(true); // the abandoned attempt returns a result now: too late, ignored and counted
        Await.until(() -> rt.tasks().queueStatus().lateResults() == 1, "the late result counted");
        Await.until(() -> rt.lookup("only").isEmpty(), "the stuck worker's end, once its thread returned");
        TaskInfo s = rt.tasks().status(spin).orElseThrow();
        assertNull(s.result(), "the late result was not reported");
        assertEquals(interrupted.contains("cancel") ? TaskStatus.CANCELLED : TaskStatus.TIMEOUT, s.status());
        assertEquals(1, s.attempts());
        assertEquals(HealthReport.Status.UP, rt.health().status());
        assertEquals(0, rt.tasks().queueStatus().stuckWorkers());
        assertEquals(1, mostOnOneWorker.get());
        assertEquals(TaskStatus.SUCCEEDED,
                rt.tasks().await(rt.tasks().submit(TaskRequest.of("next", null)), T).status());
    }

    @Test
    void anAttemptThatReturnsWithinTheGraceKeepsItsWorkerWhichThenTakesTheNextTask() throws Exception {
        start(Duration.ofMinutes(5));
        List<TaskId> ids = spinThenNext(Duration.ofMillis(50));
        TaskId spin = ids.get(0);
        TaskId next = ids.get(1);
        assertEquals(TaskStatus.TIMEOUT, rt.tasks().await(spin, T).status());
        assertEquals(TaskStatus.PENDING, rt.tasks().status(next).orElseThrow().status(), "its only worker is busy");
        release.set(true);
        TaskInfo n = rt.tasks().await(next, T);
        assertEquals("only", n.worker());
        assertEquals(1, mostOnOneWorker.get());
        QueueStatus q = rt.tasks().queueStatus();
        assertEquals(List.of(0, 0L, 0L), List.of(q.stuckWorkers(), q.abandonedAttempts(), q.lateResults()));
        assertNull(rt.tasks().status(spin).orElseThrow().result());
        assertEquals(HealthReport.Status.UP, rt.health().status());
    }
}
