package dev.myrmex.journal;

import static dev.myrmex.testkit.Await.WATCHDOG;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Val;
import dev.myrmex.core.json.Json;
import dev.myrmex.core.task.TaskContext;
import dev.myrmex.core.task.TaskId;
import dev.myrmex.core.task.TaskInfo;
import dev.myrmex.core.task.TaskRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The child JVM of {@link TaskKillRecoveryTest}: a runtime on a Chronicle journal that recovers its tasks, runs them on
 * two workers and submits DAGs of tasks (batches whose tasks wait for each other by key, and for tasks of earlier
 * batches by id) until it is killed. What happens goes to an append-only log shared by every child of the test, one
 * {@code write} per line, so a line is in the file (the page cache, which outlives a SIGKILL) before what it reports
 * is acted on:
 *
 * <pre>
 * K run id STATUS                     a task as the runtime knows it after recovery, before any worker runs
 * Q run id                            a task the recovery report says was queued again
 * READY run requeued                  recovery done
 * S run id batch key                  an acknowledged submission: tasks().submitAll returned and flushJournal said true
 * B run id attempt batch key after deps   a worker starts an attempt; after: keys, deps: ids (or -), from its input
 * E run id attempt                    the attempt is about to return its (successful) result
 * Z run id STATUS                     the last run only: every task once the queue has drained (or a minute
 *                                     has passed without it)
 * DONE run                            the last run ended
 * </pre>
 *
 * A task's structure travels in its input ({@code {"b", "k", "after", "deps"}}), which the journal keeps: the test
 * checks the runtime against it, not against the runtime's own view of the dependencies.
 */
public final class TaskKillWorkload {
    /**
     * Batches in flight at once: enough that a kill finds acknowledged tasks pending (the workers run behind the
     * submitter), some running and some just submitted.
     */
    private static final int IN_FLIGHT = 8;

    /** The shared log: lines appended whole, by one write each (a line is never torn by a kill). */
    static final class Log {
        private final FileChannel out;

        Log(Path file) throws IOException {
            out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }

        synchronized void line(String s) {
            ByteBuffer b = ByteBuffer.wrap((s + "\n").getBytes(StandardCharsets.US_ASCII));
            try {
                while (b.hasRemaining()) {
                    out.write(b);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Log log = new Log(Path.of(args[1]));
        int run = Integer.parseInt(args[2]);
        boolean last = args[3].equals("last");
        Random random = new Random(Long.parseLong(args[4]));
        try (ChronicleJournal journal = ChronicleJournal.open(dir);
             AgentRuntime rt = AgentRuntime.builder().workers(2).journal(journal).build()) {
            rt.start();
            List<TaskInfo> known = rt.tasks().list(null, 10_000);
            for (TaskInfo t : known) {
                log.line("K " + run + " " + t.id() + " " + t.status());
            }
            for (TaskId id : rt.recovery().tasks().requeued()) {
                log.line("Q " + run + " " + id);
            }
            log.line("READY " + run + " " + rt.recovery().tasks().requeued().size());
            for (int w = 0; w < 2; w++) {
                rt.tasks().spawnWorker("w" + w, Set.of(), task -> work(task, run, log));
            }
            if (last) {
                long deadline = System.nanoTime() + WATCHDOG.toNanos();
                for (TaskInfo t : known) {
                    try {
                        rt.tasks().await(t.id(), Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                    } catch (java.util.concurrent.TimeoutException e) {
                        break; // the test is told what did not end, by the Z lines
                    }
                }
                for (TaskInfo t : rt.tasks().list(null, 10_000)) {
                    log.line("Z " + run + " " + t.id() + " " + t.status());
                }
                log.line("DONE " + run);
            } else {
                submitUntilKilled(rt, log, run, random, known);
            }
        }
        System.exit(0); // the last run, closed: whatever threads a library left behind do not keep the JVM up
    }

    private static void submitUntilKilled(AgentRuntime rt, Log log, int run, Random random, List<TaskInfo> known)
            throws Exception {
        List<TaskId> earlier = new ArrayList<>(known.stream().map(TaskInfo::id).toList());
        ArrayDeque<TaskId> inFlight = new ArrayDeque<>();
        for (int n = 0; ; n++) {
            String batch = "r" + run + "-" + n;
            List<TaskRequest> dag = dag(batch, random, earlier);
            List<TaskId> ids = rt.tasks().submitAll(dag);
            if (!rt.flushJournal(WATCHDOG)) {
                throw new IllegalStateException("flushJournal did not confirm batch " + batch);
            }
            for (int i = 0; i < ids.size(); i++) {
                log.line("S " + run + " " + ids.get(i) + " " + batch + " " + dag.get(i).key());
            }
            earlier.addAll(ids);
            inFlight.add(ids.getLast());
            if (inFlight.size() > IN_FLIGHT) {
                rt.tasks().await(inFlight.poll(), WATCHDOG);
            }
        }
    }

    /** 2 to 6 tasks: each waits for some of the earlier keys of its batch, and now and then for an earlier task. */
    private static List<TaskRequest> dag(String batch, Random random, List<TaskId> earlier) {
        int size = 2 + random.nextInt(5);
        List<TaskRequest> dag = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            List<String> after = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                if (random.nextInt(3) == 0) {
                    after.add("t" + j);
                }
            }
            List<TaskId> deps = earlier.isEmpty() || random.nextInt(4) != 0 ? List.of()
                    : List.of(earlier.get(earlier.size() - 1 - random.nextInt(Math.min(earlier.size(), 20))));
            Json input = Json.of(Map.of("b", batch, "k", "t" + i, "after", after,
                    "deps", deps.stream().map(TaskId::value).toList()));
            dag.add(TaskRequest.of("step", input).withKey("t" + i).afterKeys(after.toArray(String[]::new))
                    .after(deps.toArray(TaskId[]::new)));
        }
        return dag;
    }

    private static Val work(TaskContext task, int run, Log log) {
        Json.Obj in = (Json.Obj) task.input();
        log.line("B " + run + " " + task.id() + " " + task.attempt() + " " + text(in.get("b")) + " "
                + text(in.get("k")) + " " + list(in.get("after")) + " " + list(in.get("deps")));
        for (int i = 0; i < 20_000; i++) { // a little work, so that attempts overlap the kill and tasks queue up
            Thread.onSpinWait();
        }
        log.line("E " + run + " " + task.id() + " " + task.attempt());
        return null;
    }

    private static String text(Json j) {
        return ((Json.Str) j).value();
    }

    private static String list(Json j) {
        List<Json> items = ((Json.Arr) j).items();
        return items.isEmpty() ? "-" : items.stream().map(i -> i instanceof Json.Str s ? s.value()
                : String.valueOf(((Json.Int) i).value())).collect(Collectors.joining(","));
    }

    private TaskKillWorkload() {
    }
}
