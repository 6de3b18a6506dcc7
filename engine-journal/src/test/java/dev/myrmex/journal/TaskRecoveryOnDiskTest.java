package dev.myrmex.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.json.Json;
import dev.myrmex.core.json.JsonDepthException;
import dev.myrmex.core.task.TaskId;
import dev.myrmex.core.task.TaskRequest;
import dev.myrmex.core.task.TaskStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tasks across a restart on a Chronicle journal: the records survive the disk and come back as they went in. */
class TaskRecoveryOnDiskTest {
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void unfinishedTasksComeBackFromDiskWithTheirInputs() throws Exception {
        Json input = Json.of(Map.of("path", "/data/day 1", "rows", List.of(1, 2, 3), "scale", 0.25));
        TaskId done;
        TaskId running;
        TaskId waiting;
        ChronicleJournal firstJournal = ChronicleJournal.open(dir);
        AgentRuntime first = AgentRuntime.builder().workers(2).journal(firstJournal).build();
        first.start();
        CountDownLatch started = new CountDownLatch(1);
        first.tasks().spawnWorker("w", Set.of(), task -> {
            if (task.name().equals("slow")) {
                started.countDown();
                new CountDownLatch(1).await(); // until the stop interrupts it
            }
            return null;
        });
        done = first.tasks().submit(TaskRequest.of("quick", null));
        assertEquals(TaskStatus.SUCCEEDED, first.tasks().await(done, T).status());
        running = first.tasks().submit(TaskRequest.of("slow", input).withPriority(3).withMaxRetries(1));
        started.await();
        waiting = first.tasks().submit(TaskRequest.of("quick", null).after(running));
        assertTrue(first.flushJournal(T));
        first.stopNow(T); // as in a crash: nothing ends the two unfinished tasks
        firstJournal.close();

        ChronicleJournal secondJournal = ChronicleJournal.open(dir);
        AgentRuntime second = AgentRuntime.builder().workers(2).journal(secondJournal).build();
        second.start();
        try {
            assertEquals(List.of(running, waiting), second.recovery().tasks().requeued());
            assertEquals(new TaskRequest("slow", input, 3, List.of(), null, 1, null, List.of()),
                    second.tasks().status(running).orElseThrow().request());
            assertEquals(TaskStatus.SUCCEEDED, second.tasks().status(done).orElseThrow().status());
            second.tasks().spawnWorker("w", Set.of(), task -> task.input());
            assertEquals(input, second.tasks().await(running, T).result());
            assertEquals(TaskStatus.SUCCEEDED, second.tasks().await(waiting, T).status());
        } finally {
            second.close();
            secondJournal.close();
        }
    }

    /** {@code depth} arrays around a number. */
    private static Json nested(int depth) {
        Json j = new Json.Int(7);
        for (int i = 0; i < depth; i++) {
            j = new Json.Arr(List.of(j));
        }
        return j;
    }

    @Test
    void anInputAtTheDepthLimitComesBackFromDiskAndADeeperOneIsRefused() throws Exception {
        TaskId deepest;
        try (ChronicleJournal journal = ChronicleJournal.open(dir)) {
            AgentRuntime first = AgentRuntime.builder().workers(2).journal(journal).build();
            first.start();
            deepest = first.tasks().submit(TaskRequest.of("echo", nested(Json.MAX_DEPTH)));
            assertThrows(JsonDepthException.class, () -> first.tasks().submit(TaskRequest.of("echo",
                    nested(Json.MAX_DEPTH + 1))));
            assertTrue(first.flushJournal(T));
            first.stopNow(T);
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir);
             AgentRuntime second = AgentRuntime.builder().workers(2).journal(journal).build()) {
            second.start();
            assertEquals(List.of(deepest), second.recovery().tasks().requeued());
            second.tasks().spawnWorker("w", Set.of(), task -> task.input());
            assertEquals(nested(Json.MAX_DEPTH), second.tasks().await(deepest, T).result());
        }
    }
}
