package dev.myrmex.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.json.Json;
import dev.myrmex.core.resilience.Backoff;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a task's record shows: the ids it waits for, where its work stands, and the inputs finished tasks keep. */
class TaskRecordTest {
    private static final Duration T = Duration.ofSeconds(30);

    private AgentRuntime rt;

    private AgentRuntime start(TaskSettings settings) {
        rt = AgentRuntime.builder().workers(2).tasks(settings).build();
        rt.start();
        return rt;
    }

    @AfterEach
    void tearDown() {
        if (rt != null) {
            rt.close();
        }
    }

    @Test
    void aBatchTaskWaitingByKeyListsTheResolvedIds() throws Exception {
        start(TaskSettings.DEFAULTS);
        rt.tasks().pause();
        TaskId earlier = rt.tasks().submit(TaskRequest.of("load", null));
        List<TaskId> ids = rt.tasks().submitAll(List.of(
                TaskRequest.of("report", null).withKey("r").afterKeys("p").after(earlier),
                TaskRequest.of("parse", null).withKey("p")));
        TaskInfo report = rt.tasks().status(ids.get(0)).orElseThrow();
        assertEquals(List.of(earlier, ids.get(1)), report.dependencies());
        assertEquals(List.of(earlier), report.request().dependencies(), "the request stays as submitted");
        assertEquals(List.of(), rt.tasks().status(ids.get(1)).orElseThrow().dependencies());
    }

    @Test
    void aTaskWaitingToRetryShowsNoStageAndTheNextAttemptsStageOnceItRuns() throws Exception {
        start(TaskSettings.DEFAULTS.withRetryBackoff(Backoff.fixed(Duration.ofHours(1))));
        rt.tasks().spawnWorker("flaky", Set.of(), task -> {
            task.progress(TaskStage.LOADING, "attempt " + task.attempt());
            throw new IllegalStateException("attempt " + task.attempt() + " fails");
        });
        TaskId id = rt.tasks().submit(TaskRequest.of("flaky", null).withMaxRetries(1));
        Await.until(() -> rt.tasks().status(id).orElseThrow().reason().contains("retrying"), "the retry is due");
        TaskInfo waiting = rt.tasks().status(id).orElseThrow();
        assertEquals(TaskStatus.PENDING, waiting.status());
        assertNull(waiting.currentProgress(), "the failed attempt's stage is not where the task stands");
        assertEquals("LOADING", waiting.progress().getLast().stage(), "the history keeps it");
    }

    @Test
    void anEndedTaskShowsItsLastAttemptsStageAndARunningOneItsOwn() throws Exception {
        start(TaskSettings.DEFAULTS.withRetryBackoff(Backoff.fixed(Duration.ofMillis(1))));
        CountDownLatch second = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        rt.tasks().spawnWorker("twice", Set.of(), task -> {
            if (task.attempt() == 1) {
                task.progress(TaskStage.LOADING);
                throw new IllegalStateException("first attempt fails");
            }
            second.countDown();
            release.await();
            task.progress(TaskStage.FINALIZING);
            return null;
        });
        TaskId id = rt.tasks().submit(TaskRequest.of("twice", null).withMaxRetries(1));
        second.await();
        TaskInfo running = rt.tasks().status(id).orElseThrow();
        assertEquals(TaskStatus.RUNNING, running.status());
        assertNull(running.currentProgress(), "attempt 2 has not reported yet; attempt 1's LOADING is not its stage");
        release.countDown();
        TaskInfo done = rt.tasks().await(id, T);
        assertEquals("FINALIZING", done.currentProgress().stage());
        assertEquals(2, done.currentProgress().attempt());
    }

    @Test
    void finishedTasksKeepAtMostTheRetainedInputBytesLettingTheOldestInputGoFirst() throws Exception {
        Json input = Json.of(Map.of("text", "x".repeat(100)));
        int size = TaskInputs.JSON.encode(input).length;
        start(TaskSettings.DEFAULTS.withRetainedInputBytes(2L * size + size / 2)); // room for two inputs, not three
        AtomicInteger ran = new AtomicInteger();
        rt.tasks().spawnWorker("w", Set.of(), task -> {
            ran.incrementAndGet();
            return null;
        });
        List<TaskId> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            TaskId id = rt.tasks().submit(TaskRequest.of("w", input));
            ids.add(id);
            assertEquals(TaskStatus.SUCCEEDED, rt.tasks().await(id, T).status()); // they end in submission order
        }
        List<Boolean> forgotten = ids.stream().map(id -> rt.tasks().status(id).orElseThrow().inputForgotten())
                .toList();
        assertEquals(List.of(true, true, false, false), forgotten);
        TaskInfo oldest = rt.tasks().status(ids.getFirst()).orElseThrow();
        assertNull(oldest.request().input(), "its input is let go");
        assertEquals(TaskStatus.SUCCEEDED, oldest.status(), "its record stays");
        assertEquals(input, rt.tasks().status(ids.getLast()).orElseThrow().request().input());
        assertEquals(4, ran.get());
    }

    @Test
    void noRetainedInputBytesKeepsNoFinishedInputAndANegativeBudgetIsRefused() throws Exception {
        start(TaskSettings.DEFAULTS.withRetainedInputBytes(0));
        rt.tasks().spawnWorker("w", Set.of(), task -> null);
        TaskId id = rt.tasks().submit(TaskRequest.of("w", Json.of(Map.of("a", 1L))));
        TaskInfo done = rt.tasks().await(id, T);
        assertTrue(rt.tasks().status(id).orElseThrow().inputForgotten());
        assertFalse(rt.tasks().status(rt.tasks().submit(TaskRequest.of("w", null))).orElseThrow().inputForgotten(),
                "a task without input has nothing to forget");
        assertEquals(TaskStatus.SUCCEEDED, done.status());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TaskSettings.DEFAULTS.withRetainedInputBytes(-1));
        assertTrue(e.getMessage().contains("retainedInputBytes"), e.getMessage());
    }
}
