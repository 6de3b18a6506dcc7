package dev.myrmex.core.task;

import static dev.myrmex.core.task.TaskRecoveryTest.runtime;
import static dev.myrmex.core.testing.DeepJson.nested;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.journal.InMemoryJournal;
import dev.myrmex.core.json.Json;
import dev.myrmex.core.json.JsonDepthException;
import dev.myrmex.core.recovery.RecoveryReport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * An acknowledged input is one a restart can read back: a submission is refused (typed, naming the depth and the
 * limit) exactly when its input nests deeper than {@link Json#MAX_DEPTH}, and every input accepted comes back.
 */
class TaskInputDepthTest {
    private static final Duration T = Duration.ofSeconds(30);
    private static final int MAX = Json.MAX_DEPTH;

    @Test
    void inputsWithinTheLimitAreAcceptedAndComeBackAfterARestartDeeperOnesAreRefused() throws Exception {
        InMemoryJournal journal = new InMemoryJournal(100_000);
        AgentRuntime first = runtime(journal);
        Map<Integer, TaskId> accepted = new TreeMap<>();
        for (int depth : new int[] {0, 1, MAX - 1, MAX, MAX + 1, 600, 999}) {
            try {
                accepted.put(depth, first.tasks().submit(TaskRequest.of("deep", nested(depth))));
            } catch (JsonDepthException e) {
                assertEquals(depth, e.depth());
                assertEquals(MAX, e.limit());
                assertEquals("the input of task 'deep' nests " + depth + " levels deep, deeper than the limit of "
                        + MAX + " (Json.MAX_DEPTH)", e.getMessage());
            }
        }
        assertEquals(Set.of(0, 1, MAX - 1, MAX), accepted.keySet(), "accepted: exactly the inputs within the limit");
        assertThrows(JsonDepthException.class, () -> first.tasks().submitAll(List.of(TaskRequest.of("deep", nested(1)),
                TaskRequest.of("deep", nested(600)))), "a batch with one input too deep");
        assertEquals(accepted.size(), first.tasks().queueStatus().pending(), "the refused batch queued nothing");
        assertEquals(accepted.size(), first.tasks().list(null, 100).size());
        assertTrue(first.flushJournal(T));
        first.stopNow(T); // as in a crash: nothing ran

        AgentRuntime second = runtime(journal);
        try {
            RecoveryReport.Tasks report = second.recovery().tasks();
            assertEquals(List.of(), report.notRequeued(), "an accepted input that cannot be read back");
            assertEquals(List.copyOf(accepted.values()), report.requeued());
            second.tasks().spawnWorker("echo", Set.of(), task -> task.input());
            for (Map.Entry<Integer, TaskId> e : accepted.entrySet()) {
                TaskInfo done = second.tasks().await(e.getValue(), T);
                assertEquals(TaskStatus.SUCCEEDED, done.status(), done.reason());
                assertEquals(nested(e.getKey()), done.result(), "depth " + e.getKey() + " read back as it went in");
            }
        } finally {
            second.close();
        }
    }

    @Test
    void aResultDeeperThanTheLimitFailsItsAttemptAndTheDeepestAllowedSucceeds() throws Exception {
        try (AgentRuntime rt = runtime(new InMemoryJournal(10_000))) {
            rt.tasks().spawnWorker("deep", Set.of(),
                    task -> nested(((Json.Int) task.input()).value() == 0 ? MAX : MAX + 1));
            TaskInfo ok = rt.tasks().await(rt.tasks().submit(TaskRequest.of("deep", new Json.Int(0))), T);
            assertEquals(TaskStatus.SUCCEEDED, ok.status());
            assertEquals(nested(MAX), ok.result());
            TaskInfo tooDeep = rt.tasks().await(rt.tasks().submit(TaskRequest.of("deep", new Json.Int(1))), T);
            assertEquals(TaskStatus.FAILED, tooDeep.status());
            assertEquals(null, tooDeep.result());
            assertTrue(tooDeep.error().contains("the result of attempt 1 of task " + tooDeep.id() + " nests "
                    + (MAX + 1) + " levels deep"), tooDeep.error());
        }
    }
}
