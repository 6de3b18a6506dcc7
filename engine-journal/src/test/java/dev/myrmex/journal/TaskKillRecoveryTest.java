package dev.myrmex.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks under SIGKILL, on a real Chronicle journal: a child JVM ({@link TaskKillWorkload}) recovers the task queue,
 * runs it on two workers and submits DAGs of tasks, and is killed at a random moment, {@value #KILLS} times over on the
 * same journal; a last child then runs what is left to the end. Nothing stops a child gracefully, so nothing flushes
 * the journal for it but its own {@code flushJournal} calls. After every kill and restart:
 * <ul>
 *   <li>no acknowledged task is lost: every submission the child acknowledged ({@code tasks().submitAll} returned and
 *       {@code flushJournal} said true) is known to the next runtime, pending or succeeded, and the last run ends it
 *       SUCCEEDED;</li>
 *   <li>no finished task runs again: a task whose success the journal held when a child started is never started by
 *       that child (an attempt whose success had not reached the journal may run again: at-least-once);</li>
 *   <li>no task runs before its dependencies succeeded: each dependency (taken from the task's own input, not from the
 *       runtime's view) had succeeded in the journal before the run, or its attempt ended earlier in the same run;</li>
 *   <li>no task runs twice within one run (no failures, so one attempt each).</li>
 * </ul>
 * The children report through an append-only file (see {@link TaskKillWorkload}); the journal's own record of which
 * tasks succeeded is read by this test between runs, with no child alive.
 */
class TaskKillRecoveryTest {
    static final int KILLS = 24;

    @TempDir
    Path tmp;

    /** One run: the journal's state before it, and what its lines said so far. */
    private static final class Run {
        final int number;
        final Set<Long> succeededBefore; // the tasks whose success the journal held as the run started
        final Map<Long, String> recovered = new HashMap<>(); // K: id -> status
        final Set<Long> requeued = new HashSet<>(); // Q
        final Map<Long, String> finalStatus = new HashMap<>(); // Z
        final Set<Long> ended = new HashSet<>(); // E seen so far in this run
        final Set<Long> started = new HashSet<>(); // B seen so far in this run
        final List<String> problems = new ArrayList<>();
        boolean ready;
        boolean done;

        Run(int number, Set<Long> succeededBefore) {
            this.number = number;
            this.succeededBefore = succeededBefore;
        }
    }

    private final Map<Long, Integer> acked = new HashMap<>(); // id -> the run that acknowledged it
    private final Map<String, Long> idOf = new HashMap<>(); // "batch key" -> id
    private final Set<Long> everStarted = new HashSet<>();
    private int attempts;
    private int reruns; // attempts of tasks that had started in an earlier run (at-least-once)
    private int pendingAtRestart; // acknowledged tasks a restart found unfinished: what "not lost" is about

    @Test
    void acknowledgedTasksSurviveSigkillAndNoneRunsAgainOrBeforeItsDependencies() throws Exception {
        Path dir = tmp.resolve("journal");
        Path logFile = tmp.resolve("log");
        Files.createFile(logFile);
        long seed = Long.getLong("myrmex.kill.seed", System.nanoTime()); // -Dmyrmex.kill.seed=N repeats a run
        Random random = new Random(seed);
        LogReader log = new LogReader(logFile);
        for (int r = 0; r <= KILLS; r++) {
            boolean last = r == KILLS;
            String where = "run " + r + " (seed " + seed + ")";
            Run run = new Run(r, r == 0 ? Set.of() : succeededInJournal(dir));
            Process child = new ProcessBuilder(ChildJvm.command(TaskKillWorkload.class, dir.toString(),
                    logFile.toString(), String.valueOf(r), last ? "last" : "kill", String.valueOf(random.nextLong())))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try {
                int killAfter = 5 + random.nextInt(150); // lines after READY
                for (int after = 0; !run.done; ) {
                    String line = log.next(child);
                    if (line == null) {
                        fail(where + ": the child ended before " + (!run.ready ? "READY" : last ? "DONE"
                                : "it was killed"));
                    }
                    boolean wasReady = run.ready;
                    handle(line, run, where);
                    if (wasReady && !last && ++after >= killAfter) {
                        child.destroyForcibly(); // SIGKILL, at a random point of the work
                        if (!child.waitFor(60, TimeUnit.SECONDS)) {
                            fail(where + ": the child did not die");
                        }
                        String rest;
                        while ((rest = log.next(child)) != null) { // what it wrote before it died
                            handle(rest, run, where);
                        }
                        run.done = true;
                    }
                }
                if (last) {
                    assertTrue(child.waitFor(60, TimeUnit.SECONDS), where + ": the last child did not end");
                    assertEquals(0, child.exitValue(), where + ": the last child's exit code");
                    checkEnd(run);
                }
            } finally {
                child.destroyForcibly(); // never left running when a check fails
                child.waitFor(60, TimeUnit.SECONDS);
            }
            assertEquals(List.of(), run.problems, where);
        }
        assertTrue(acked.size() > KILLS, "the children acknowledged " + acked.size() + " tasks");
        assertTrue(pendingAtRestart > 0, "no kill left an acknowledged task unfinished: nothing was at stake");
        System.out.printf("%d kills: %,d acknowledged tasks (%,d found unfinished by a restart), %,d attempts checked"
                + " (%,d of tasks that had started before a kill)%n", KILLS, acked.size(), pendingAtRestart, attempts,
                reruns);
    }

    /** Files one line of the log (see {@link TaskKillWorkload} for the lines), checking what it says. */
    private void handle(String line, Run run, String where) {
        String[] p = line.split(" ");
        if (p.length < 2 || Integer.parseInt(p[1]) != run.number) {
            fail(where + ": a line of another run: " + line);
        }
        switch (p[0]) {
            case "K" -> run.recovered.put(Long.parseLong(p[2]), p[3]);
            case "Q" -> run.requeued.add(Long.parseLong(p[2]));
            case "READY" -> {
                run.ready = true;
                checkRecovery(run);
            }
            case "S" -> {
                long id = Long.parseLong(p[2]);
                acked.put(id, run.number);
                learn(p[3] + " " + p[4], id, run);
            }
            case "B" -> {
                attempts++;
                reruns += everStarted.add(Long.parseLong(p[2])) ? 0 : 1;
                checkStart(p, run);
            }
            case "E" -> run.ended.add(Long.parseLong(p[2]));
            case "Z" -> run.finalStatus.put(Long.parseLong(p[2]), p[3]);
            case "DONE" -> run.done = true;
            default -> fail(where + ": unknown line " + line);
        }
    }

    /** The last run: every acknowledged task, and every other, ended SUCCEEDED. */
    private void checkEnd(Run run) {
        for (Map.Entry<Long, Integer> a : acked.entrySet()) {
            if (!"SUCCEEDED".equals(run.finalStatus.get(a.getKey()))) {
                run.problems.add("task " + a.getKey() + ", acknowledged in run " + a.getValue() + ", ended "
                        + run.finalStatus.get(a.getKey()));
            }
        }
        run.finalStatus.forEach((id, s) -> {
            if (!s.equals("SUCCEEDED")) {
                run.problems.add("task " + id + " ended " + s);
            }
        });
    }

    /**
     * The runtime's view after recovery: every acknowledged task is there, queued again unless the journal says it
     * succeeded; what the journal says succeeded is not queued again.
     */
    private void checkRecovery(Run run) {
        for (Map.Entry<Long, Integer> a : acked.entrySet()) {
            String s = run.recovered.get(a.getKey());
            boolean queued = run.requeued.contains(a.getKey());
            if (run.succeededBefore.contains(a.getKey()) ? !"SUCCEEDED".equals(s) : !"PENDING".equals(s) || !queued) {
                run.problems.add("acknowledged task " + a.getKey() + " (run " + a.getValue() + ") came back as " + s
                        + (queued ? ", queued again" : ", not queued again"));
            }
            pendingAtRestart += "PENDING".equals(s) ? 1 : 0;
        }
        for (long id : run.succeededBefore) {
            String s = run.recovered.get(id);
            if (s != null && !s.equals("SUCCEEDED") || run.requeued.contains(id)) {
                run.problems.add("task " + id + " succeeded in the journal but came back as " + s
                        + (run.requeued.contains(id) ? ", queued again" : ""));
            }
        }
    }

    /** A {@code B} line: not finished before, not started twice, every dependency succeeded first. */
    private void checkStart(String[] p, Run run) {
        long id = Long.parseLong(p[2]);
        String batch = p[4];
        learn(batch + " " + p[5], id, run);
        if (run.succeededBefore.contains(id)) {
            run.problems.add("task " + id + " ran again: its success was in the journal before this run");
        }
        if (!run.started.add(id)) {
            run.problems.add("task " + id + " started twice in one run");
        }
        List<Long> deps = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        if (!p[6].equals("-")) {
            for (String key : p[6].split(",")) {
                Long d = idOf.get(batch + " " + key);
                if (d == null) {
                    unknown.add(key); // never acknowledged and never started: cannot have succeeded
                } else {
                    deps.add(d);
                }
            }
        }
        if (!p[7].equals("-")) {
            for (String d : p[7].split(",")) {
                deps.add(Long.parseLong(d));
            }
        }
        for (long d : deps) {
            if (!run.succeededBefore.contains(d) && !run.ended.contains(d)) {
                run.problems.add("task " + id + " started before its dependency " + d + " succeeded");
            }
        }
        if (!unknown.isEmpty()) {
            run.problems.add("task " + id + " started before its dependencies " + unknown + " of batch " + batch
                    + " ever ran");
        }
    }

    /** One task per batch and key, always the same id. */
    private void learn(String batchKey, long id, Run run) {
        Long was = idOf.putIfAbsent(batchKey, id);
        if (was != null && was != id) {
            run.problems.add(batchKey + " is two tasks: " + was + " and " + id);
        }
    }

    /** The tasks whose success the journal holds, read with no child alive. */
    private static Set<Long> succeededInJournal(Path dir) {
        Set<Long> ids = new HashSet<>();
        try (ChronicleJournal j = ChronicleJournal.openExisting(dir)) {
            j.forEach(EventFilter.ALL.types(EventType.TASK_SUCCEEDED), e -> ids.add(Long.parseLong(e.task())));
        }
        return ids;
    }

    /** The shared log's complete lines, as they come. */
    private static final class LogReader {
        private final InputStream in;
        private final StringBuilder partial = new StringBuilder();
        private final byte[] buf = new byte[1 << 16];
        private final ArrayList<String> ready = new ArrayList<>();
        private int next;

        LogReader(Path file) throws IOException {
            in = Files.newInputStream(file);
        }

        private boolean readMore() throws IOException {
            int n = in.read(buf);
            if (n <= 0) {
                return false;
            }
            partial.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                ready.add(partial.substring(0, nl));
                partial.delete(0, nl + 1);
            }
            return true;
        }

        /** The next complete line, or null once {@code child} is dead and the file read to its end. */
        String next(Process child) throws IOException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (next == ready.size()) {
                if (readMore()) {
                    continue;
                }
                if (!child.isAlive()) {
                    while (readMore()) {
                        // what the child wrote before it died
                    }
                    if (next == ready.size()) {
                        if (partial.length() > 0) {
                            fail("a torn line in the log: " + partial);
                        }
                        return null;
                    }
                    break;
                }
                if (System.nanoTime() > deadline) {
                    fail("the child wrote nothing for 120 s");
                }
                LockSupport.parkNanos(1_000_000); // polling the file for the child's next line
            }
            String l = ready.get(next);
            ready.set(next++, null);
            return l;
        }
    }
}
