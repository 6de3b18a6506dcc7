package dev.myrmex.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Val;
import dev.myrmex.core.journal.InMemoryJournal;
import dev.myrmex.core.journal.TaskSubmission;
import dev.myrmex.core.json.Json;
import dev.myrmex.core.recovery.RecoveryReport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Tasks across a crash: unfinished ones are queued again under their ids, finished ones are not run again. */
class TaskRecoveryTest {
    private static final Duration T = Duration.ofSeconds(30);

    record Opaque(String text) implements Val {
    }

    static AgentRuntime runtime(InMemoryJournal journal) {
        AgentRuntime rt = AgentRuntime.builder().workers(2).journal(journal).build();
        rt.start();
        return rt;
    }

    @Test
    void unfinishedTasksAreQueuedAgainAfterACrashAndFinishedOnesAreNot() throws Exception {
        InMemoryJournal journal = new InMemoryJournal(100_000);
        Json blockInput = Json.of(Map.of("size", 3, "tags", List.of("x", "y"), "ratio", 0.5));
        Json afterInput = Json.of(Map.of("name", "a;b=c é"));

        AgentRuntime first = runtime(journal);
        CountDownLatch blocking = new CountDownLatch(1);
        first.tasks().spawnWorker("w1", Set.of(), task -> {
            if (task.name().equals("block")) {
                blocking.countDown();
                new CountDownLatch(1).await(); // until the crash interrupts it
            }
            return task.input();
        });
        TaskId done = first.tasks().submit(new TaskRequest("quick", Json.of(1), 50, List.of(), null, 0, null,
                List.of()));
        assertEquals(TaskStatus.SUCCEEDED, first.tasks().await(done, T).status());
        TaskId block = first.tasks().submit(new TaskRequest("block", blockInput, 10, List.of(), Duration.ofMinutes(5),
                2, null, List.of()));
        blocking.await();
        TaskId after = first.tasks().submit(TaskRequest.of("quick", afterInput).after(block));
        TaskId opaque = first.tasks().submit(TaskRequest.of("quick", new Opaque("not json")).after(block));
        TaskId afterDone = first.tasks().submit(TaskRequest.of("quick", null).after(done).after(block));
        first.tasks().pause();
        TaskId cancelled = first.tasks().submit(TaskRequest.of("quick", null));
        assertTrue(first.tasks().cancel(cancelled));
        first.stopNow(T); // immediate, as in a crash: the running task is interrupted, not finished

        AgentRuntime second = runtime(journal);
        RecoveryReport.Tasks report = second.recovery().tasks();
        assertEquals(List.of(block, after, afterDone), report.requeued());
        assertEquals(List.of(opaque), report.notRequeued().stream().map(RecoveryReport.NotRequeued::task).toList());
        assertTrue(report.notRequeued().getFirst().reason().contains("never journalled"),
                report.notRequeued().getFirst().reason());
        assertFalse(second.recovery().complete());
        assertEquals(TaskStatus.SUCCEEDED, second.tasks().status(done).orElseThrow().status());
        assertEquals(TaskStatus.CANCELLED, second.tasks().status(cancelled).orElseThrow().status());
        assertEquals(TaskStatus.FAILED, second.tasks().status(opaque).orElseThrow().status());
        TaskInfo requeued = second.tasks().status(block).orElseThrow();
        assertEquals(TaskStatus.PENDING, requeued.status());
        assertEquals(new TaskRequest("block", blockInput, 10, List.of(), Duration.ofMinutes(5), 2, null, List.of()),
                requeued.request());
        assertEquals(3, second.tasks().queueStatus().pending());

        List<TaskId> ran = new CopyOnWriteArrayList<>();
        second.tasks().spawnWorker("w2", Set.of(), task -> {
            ran.add(task.id());
            return task.input();
        });
        assertEquals(afterInput, second.tasks().await(after, T).result());
        assertEquals(TaskStatus.SUCCEEDED, second.tasks().await(afterDone, T).status());
        assertEquals(blockInput, second.tasks().await(block, T).result());
        assertEquals(Set.of(block, after, afterDone), Set.copyOf(ran)); // the finished ones did not run again
        TaskId next = second.tasks().submit(TaskRequest.of("quick", null));
        assertTrue(next.value() > cancelled.value()); // ids go on from the journal's
        assertEquals(TaskStatus.SUCCEEDED, second.tasks().await(next, T).status());
        second.stop(T);

        AgentRuntime third = runtime(journal); // everything ended: nothing comes back
        assertEquals(RecoveryReport.Tasks.NONE, third.recovery().tasks());
        assertEquals(TaskStatus.FAILED, third.tasks().status(opaque).orElseThrow().status());
        TaskInfo remembered = third.tasks().status(block).orElseThrow(); // remembered as it ended: not its input again
        assertEquals(TaskStatus.SUCCEEDED, remembered.status());
        assertEquals("block", remembered.request().name());
        third.close();
    }

    @Test
    void anEndJournalledBeforeItsSubmissionIsStillTheEnd() {
        TaskHistory h = new TaskHistory();
        java.time.Instant now = java.time.Instant.now();
        h.accept(new dev.myrmex.core.journal.JournalEvent(now, dev.myrmex.core.journal.EventType.TASK_SUCCEEDED,
                dev.myrmex.core.journal.Severity.INFO, "w", "1", "t"));
        h.accept(TaskInputs.submission(now, 1, TaskRequest.of("t", null), List.of(), "c",
                new TaskInputs.Encoded(null, null)));
        h.accept(new dev.myrmex.core.journal.JournalEvent(now, dev.myrmex.core.journal.EventType.TASK_FAILED,
                dev.myrmex.core.journal.Severity.ERROR, "w", "2", "boom")); // its submission never made it
        assertEquals(TaskStatus.SUCCEEDED, h.tasks().get(1L).end());
        assertEquals("t", h.tasks().get(1L).record().name());
        AgentRuntime rt = runtime(new InMemoryJournal());
        RecoveryReport.Tasks report = rt.tasks().restore(h);
        assertEquals(RecoveryReport.Tasks.NONE, report);
        assertEquals(TaskStatus.SUCCEEDED, rt.tasks().status(new TaskId(1)).orElseThrow().status());
        assertTrue(rt.tasks().status(new TaskId(2)).isEmpty());
        assertEquals(3, rt.tasks().submit(TaskRequest.of("next", null)).value()); // ids go on past both
        rt.close();
    }

    @Test
    void aSubmissionKeepsItsRequestAndOneKindOfInput() {
        TaskRequest r = TaskRequest.of("odd;name=x é%", null).withPriority(7).withTimeout(Duration.ofMillis(1500))
                .withMaxRetries(4);
        java.time.Instant now = java.time.Instant.now();
        TaskSubmission rec = TaskInputs.submission(now, 12, r, List.of(3L, 9L), "myrmex-json-v1",
                new TaskInputs.Encoded(new byte[] {1, 2, 3, -1}, null));
        assertEquals(r.name(), rec.name());
        assertEquals(List.of(3L, 9L), rec.dependencies());
        assertEquals(Duration.ofMillis(1500), rec.timeout());
        assertEquals(4, rec.maxRetries());
        assertEquals(7, rec.priority());
        assertEquals("myrmex-json-v1", rec.inputCodec());
        assertEquals(List.of((byte) 1, (byte) 2, (byte) 3, (byte) -1), toList(rec.input()));
        assertEquals("odd;name=x é%, priority 7, after 3,9, timeout PT1.5S, 4 retries, input myrmex-json-v1 (4 bytes)",
                rec.event().details());
        assertEquals("12", rec.event().task());
        TaskSubmission none = TaskInputs.submission(now, 1, TaskRequest.of("n", null), List.of(), "c",
                new TaskInputs.Encoded(null, null));
        assertEquals(null, none.inputCodec());
        assertEquals(null, none.timeout());
        TaskSubmission unjournalled = TaskInputs.submission(now, 2, r, List.of(), "c",
                new TaskInputs.Encoded(null, "codec c; could not"));
        assertEquals(null, unjournalled.inputCodec());
        assertEquals("codec c; could not", unjournalled.inputMissing());
        assertEquals(dev.myrmex.core.journal.EventType.TASK_REQUEUED, unjournalled.requeuedAt(now).event().type());
        for (Runnable bad : List.<Runnable>of(
                () -> new TaskSubmission(now, 1, false, "x", 0, List.of(), null, 0, "c", null, null),
                () -> new TaskSubmission(now, 1, false, "x", 0, List.of(), null, 0, null, new byte[0], null),
                () -> new TaskSubmission(now, 1, false, "x", 0, List.of(), null, 0, "c", new byte[0], "why"),
                () -> new TaskSubmission(now, 0, false, "x", 0, List.of(), null, 0, null, null, null),
                () -> new TaskSubmission(now, 1, false, "x", 0, List.of(), null, -1, null, null, null))) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, bad::run);
        }
    }

    private static List<Byte> toList(byte[] b) {
        Byte[] boxed = new Byte[b.length];
        for (int i = 0; i < b.length; i++) {
            boxed[i] = b[i];
        }
        return List.of(boxed);
    }
}
