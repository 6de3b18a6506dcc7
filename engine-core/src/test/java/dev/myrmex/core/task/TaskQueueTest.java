package dev.myrmex.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Val;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.resilience.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaskQueueTest {
    private static final Duration T = Duration.ofSeconds(30);

    record Job(String text) implements Val {
    }

    private AgentRuntime rt;

    @BeforeEach
    void setUp() {
        rt = AgentRuntime.builder().workers(2).tasks(TaskSettings.DEFAULTS.withCapacity(50)
                .withRetryBackoff(Backoff.fixed(Duration.ofMillis(1)))).build();
        rt.start();
    }

    @AfterEach
    void tearDown() {
        rt.close();
    }

    private TaskId submit(String name, int priority, TaskId... after) {
        return rt.tasks().submit(TaskRequest.of(name, new Job(name)).withPriority(priority).after(after));
    }

    @Test
    void aWorkerRunsATaskWithProgressAndOutputAndAwaitReturnsTheRun() throws Exception {
        rt.tasks().spawnWorker("upper", Set.of("upper"), task -> {
            task.progress(TaskStage.VALIDATING);
            task.progress(TaskStage.EXECUTING, "upper-casing");
            task.output("read " + ((Job) task.input()).text());
            task.progress(TaskStage.DONE);
            return new Job(((Job) task.input()).text().toUpperCase());
        });
        TaskId id = rt.tasks().submit(new TaskRequest("upper", new Job("abc"), 50, List.of(), T, 0, null, List.of()));
        TaskInfo done = rt.tasks().await(id, T);
        assertEquals(TaskStatus.SUCCEEDED, done.status());
        assertEquals(new Job("ABC"), done.result());
        assertEquals(1, done.attempts());
        assertEquals("upper", done.worker());
        assertEquals("read abc\n", done.output());
        assertEquals(List.of("VALIDATING", "EXECUTING", "DONE"), done.progress().stream().map(TaskProgress::stage)
                .toList());
        assertEquals(60, done.progress().get(1).percent());
        assertEquals("upper-casing", done.progress().get(1).message());
        assertTrue(!done.finishedAt().isBefore(done.startedAt()) && !done.startedAt().isBefore(done.submittedAt()));
        assertTrue(rt.flushJournal(T));
        JournalEvent e = rt.journal().query(EventFilter.ALL.types(EventType.TASK_SUCCEEDED).task(id.toString()), 1)
                .getFirst();
        assertEquals("upper", e.agent());
    }

    @Test
    void readyTasksGoLowestPriorityNumberFirstThenOldestFirst() throws Exception {
        rt.tasks().pause();
        TaskId low = submit("t", 90);
        TaskId high = submit("t", 0);
        TaskId mid1 = submit("t", 50);
        TaskId mid2 = submit("t", 50);
        assertTrue(rt.tasks().queueStatus().paused());
        List<TaskId> ran = new CopyOnWriteArrayList<>();
        rt.tasks().spawnWorker("one", Set.of(), task -> {
            ran.add(task.id());
            return null;
        });
        assertEquals(TaskStatus.PENDING, rt.tasks().status(high).orElseThrow().status(), "paused: nothing starts");
        rt.tasks().resume();
        rt.tasks().await(low, T);
        assertEquals(List.of(high, mid1, mid2, low), ran);
    }

    @Test
    void aTaskRunsOnlyAfterItsDependenciesSucceedAndNotAtAllIfOneFails() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        rt.tasks().spawnWorker("w", Set.of(), task -> {
            ran.add(task.name());
            if (task.name().equals("bad")) {
                throw new IllegalStateException("bad input");
            }
            return null;
        });
        rt.tasks().pause();
        TaskId a = submit("a", 50);
        TaskId b = submit("b", 0, a); // higher priority, but must wait for a
        TaskId bad = submit("bad", 50);
        TaskId c = submit("c", 50, b, bad);
        TaskId d = submit("d", 50, c);
        rt.tasks().resume();
        assertEquals(TaskStatus.SUCCEEDED, rt.tasks().await(b, T).status());
        TaskInfo cInfo = rt.tasks().await(c, T);
        assertEquals(TaskStatus.CANCELLED, cInfo.status());
        assertTrue(cInfo.reason().contains("dependency " + bad + " (bad) ended FAILED"), cInfo.reason());
        assertEquals(0, cInfo.attempts());
        TaskInfo dInfo = rt.tasks().await(d, T);
        assertEquals(TaskStatus.CANCELLED, dInfo.status());
        assertTrue(dInfo.reason().contains("dependency " + c + " (c) ended CANCELLED"), dInfo.reason());
        assertTrue(ran.indexOf("a") < ran.indexOf("b"), ran.toString());
        assertFalse(ran.contains("c") || ran.contains("d"), ran.toString());
        TaskId late = submit("late", 50, bad); // a dependency that already failed
        assertEquals(TaskStatus.CANCELLED, rt.tasks().await(late, T).status());
    }

    @Test
    void badGraphsAreRefusedNamingTheTasksAndNothingIsSubmitted() {
        IllegalArgumentException cycle = assertThrows(IllegalArgumentException.class,
                () -> rt.tasks().submitAll(List.of(
                TaskRequest.of("load", null).withKey("load").afterKeys("clean"),
                TaskRequest.of("parse", null).withKey("parse").afterKeys("load"),
                TaskRequest.of("clean", null).withKey("clean").afterKeys("parse"),
                TaskRequest.of("report", null).withKey("report").afterKeys("clean"))));
        assertTrue(cycle.getMessage().contains("dependency cycle"), cycle.getMessage());
        for (String k : List.of("'load'", "'parse'", "'clean'")) {
            assertTrue(cycle.getMessage().contains(k), cycle.getMessage());
        }
        assertFalse(cycle.getMessage().contains("'report'"), "not part of the cycle: " + cycle.getMessage());
        IllegalArgumentException unknownKey = assertThrows(IllegalArgumentException.class, () -> rt.tasks().submitAll(
                List.of(TaskRequest.of("x", null).withKey("x").afterKeys("nope"))));
        assertTrue(unknownKey.getMessage().contains("'nope'"), unknownKey.getMessage());
        IllegalArgumentException unknownId = assertThrows(IllegalArgumentException.class,
                () -> rt.tasks().submit(TaskRequest.of("x", null).after(new TaskId(999))));
        assertTrue(unknownId.getMessage().contains("task 999"), unknownId.getMessage());
        assertThrows(IllegalArgumentException.class, () -> rt.tasks().submitAll(List.of(
                TaskRequest.of("x", null).withKey("k"), TaskRequest.of("y", null).withKey("k"))));
        assertThrows(IllegalArgumentException.class, () -> TaskRequest.of("x", null).withPriority(101));
        assertEquals(0, rt.tasks().queueStatus().pending());
        assertEquals(List.of(), rt.tasks().list(null, 10));
    }

    @Test
    void aBatchWaitsByKeyAndGetsIdsInRequestOrder() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        rt.tasks().spawnWorker("w", Set.of(), task -> {
            ran.add(task.name());
            return null;
        });
        List<TaskId> ids = rt.tasks().submitAll(List.of(
                TaskRequest.of("report", null).withKey("r").afterKeys("p", "q"),
                TaskRequest.of("parse", null).withKey("p").afterKeys("l"),
                TaskRequest.of("query", null).withKey("q").afterKeys("l"),
                TaskRequest.of("load", null).withKey("l")));
        assertEquals(TaskStatus.SUCCEEDED, rt.tasks().await(ids.getFirst(), T).status());
        assertEquals("report", rt.tasks().status(ids.get(0)).orElseThrow().request().name());
        assertEquals("load", ran.getFirst());
        assertEquals("report", ran.getLast());
        List<TaskId> twins = rt.tasks().submitAll(List.of(TaskRequest.of("twin", null), TaskRequest.of("twin", null)));
        assertEquals(2, Set.copyOf(twins).size(), "equal requests are two tasks");
        for (TaskId id : twins) {
            assertEquals(TaskStatus.SUCCEEDED, rt.tasks().await(id, T).status());
        }
    }

    @Test
    void aFailingTaskIsRetriedUpToMaxRetries() throws Exception {
        ConcurrentHashMap<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        rt.tasks().spawnWorker("flaky", Set.of(), task -> {
            int n = runs.computeIfAbsent(task.name(), k -> new AtomicInteger()).incrementAndGet();
            if (n <= 2) {
                throw new IllegalStateException("failure " + n + " of " + task.name());
            }
            return null;
        });
        TaskInfo enough = rt.tasks().await(rt.tasks().submit(TaskRequest.of("enough", null).withMaxRetries(2)), T);
        assertEquals(TaskStatus.SUCCEEDED, enough.status());
        assertEquals(3, enough.attempts());
        TaskInfo tooFew = rt.tasks().await(rt.tasks().submit(TaskRequest.of("tooFew", null).withMaxRetries(1)), T);
        assertEquals(TaskStatus.FAILED, tooFew.status());
        assertEquals(2, tooFew.attempts());
        assertEquals(2, runs.get("tooFew").get());
        assertTrue(tooFew.error().contains("failure 2 of tooFew"), tooFew.error());
        assertTrue(tooFew.reason().contains("attempt 2 of 2 failed"), tooFew.reason());
    }

    @Test
    void aTaskPastItsTimeoutIsInterruptedAndItsWorkerFreed() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        rt.tasks().spawnWorker("only", Set.of(), task -> {
            if (task.name().equals("hang")) {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
            }
            return new Job("ran");
        });
        TaskInfo hung = rt.tasks().await(rt.tasks().submit(TaskRequest.of("hang", null)
                .withTimeout(Duration.ofMillis(50)).withMaxRetries(3)), T);
        assertEquals(TaskStatus.TIMEOUT, hung.status());
        assertEquals(1, hung.attempts(), "a timeout is not retried");
        assertTrue(interrupted.await(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(new Job("ran"), rt.tasks().await(rt.tasks().submit(TaskRequest.of("next", null)), T).result(),
                "the only worker was freed");
        assertEquals(1, rt.tasks().queueStatus().timedOut());
    }

    @Test
    void cancellingAPendingOrRunningTaskEndsItAndFreesTheWorker() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        rt.tasks().spawnWorker("only", Set.of(), task -> {
            if (task.name().equals("long")) {
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            }
            return null;
        });
        TaskId running = rt.tasks().submit(TaskRequest.of("long", null));
        TaskId queued = rt.tasks().submit(TaskRequest.of("queued", null).after(running));
        assertTrue(started.await(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(TaskStatus.RUNNING, rt.tasks().status(running).orElseThrow().status());
        assertTrue(rt.tasks().cancel(running));
        assertTrue(interrupted.await(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(TaskStatus.CANCELLED, rt.tasks().await(running, T).status());
        assertEquals(TaskStatus.CANCELLED, rt.tasks().await(queued, T).status());
        assertFalse(rt.tasks().cancel(running), "already ended");
        assertNull(rt.tasks().await(rt.tasks().submit(TaskRequest.of("after", null)), T).result(),
                "the worker was freed");
        rt.tasks().pause();
        TaskId pending = rt.tasks().submit(TaskRequest.of("p", null));
        assertTrue(rt.tasks().cancel(pending));
        assertEquals(TaskStatus.CANCELLED, rt.tasks().status(pending).orElseThrow().status());
        assertThrows(NoSuchTaskException.class, () -> rt.tasks().cancel(new TaskId(12345)));
        assertThrows(NoSuchTaskException.class, () -> rt.tasks().await(new TaskId(12345), T));
    }

    @Test
    void aFullQueueRefusesTheSubmissionAndListsAndCountsAreRight() throws Exception {
        rt.tasks().pause();
        List<TaskId> filled = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            filled.add(submit("fill", 50));
        }
        QueueFullException full = assertThrows(QueueFullException.class, () -> submit("one-more", 50));
        assertEquals(50, full.capacity());
        QueueStatus s = rt.tasks().queueStatus();
        assertEquals(50, s.pending());
        assertEquals(50, s.capacity());
        List<TaskInfo> newest = rt.tasks().list(TaskStatus.PENDING, 3);
        assertEquals(List.of(50L, 49L, 48L), newest.stream().map(t -> t.id().value()).toList());
        assertThrows(IllegalArgumentException.class, () -> rt.tasks().list(null, 0));
        assertThrows(TimeoutException.class, () -> rt.tasks().await(newest.getFirst().id(), Duration.ofMillis(10)));
        rt.tasks().spawnWorker("w", Set.of("fill"), task -> null);
        rt.tasks().resume();
        for (TaskId id : filled) {
            assertEquals(TaskStatus.SUCCEEDED, rt.tasks().await(id, T).status());
        }
        assertEquals(50, rt.tasks().queueStatus().succeeded());
        assertEquals(50, rt.tasks().list(TaskStatus.SUCCEEDED, 100).size());
        assertEquals(0, rt.tasks().queueStatus().pending());
    }

    @Test
    void aTaskHeldByAWorkerThatIsStoppedGoesBackAndRunsElsewhere() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        AgentHandle<?> first = rt.tasks().spawnWorker("first", Set.of("job"), task -> {
            firstStarted.countDown();
            new CountDownLatch(1).await(); // until interrupted
            return null;
        });
        TaskId id = rt.tasks().submit(TaskRequest.of("job", null));
        assertTrue(firstStarted.await(30, java.util.concurrent.TimeUnit.SECONDS));
        first.stopNow(); // at once
        first.join(T);
        rt.tasks().spawnWorker("second", Set.of("job"), task -> new Job("second"));
        TaskInfo done = rt.tasks().await(id, T);
        assertEquals(TaskStatus.SUCCEEDED, done.status());
        assertEquals("second", done.worker());
        assertEquals(2, done.attempts());
    }
}
