package dev.myrmex.core.task;

import dev.myrmex.core.AgentState;
import dev.myrmex.core.HealthReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The task workers declared stuck: each one's attempt was interrupted (past its timeout, or cancelled) and its thread
 * had not returned a grace period later. Also counts the attempts so abandoned and those of them whose thread
 * returned after all (late: their outcome is ignored).
 *
 * <p><b>Threads.</b> Thread-safe, on its own monitor: it is touched only when a worker is declared stuck, when an
 * abandoned thread returns, and when health or the queue's status is read, never on a task's normal path. It calls
 * nothing outside itself while holding the monitor, so the queue may call it under the queue's lock. The
 * {@code RUNNING -> STUCK} move of an attempt happens only in {@link #declare}, under the monitor, together with the
 * registration; {@link #lateReturn} runs under the same monitor, so a thread returning at that very moment finds its
 * entry and takes it out (see {@link TaskAttempt}).
 */
final class StuckWorkers {
    /** One stuck worker: whose attempt of which task, interrupted why, since when, replaced by which agent. */
    record Stuck(String worker, TaskId task, int attempt, String interrupted, Duration grace, Instant since) {
        String detail(String replacement) {
            return "task worker stuck: attempt " + attempt + " of task " + task + " was interrupted (" + interrupted
                    + ") and its thread had not returned " + grace.toMillis() + " ms later (at " + since
                    + "); replaced by " + replacement + ", the abandoned thread is left to end on its own";
        }
    }

    private final Map<TaskAttempt, Stuck> now = new IdentityHashMap<>(); // guarded by this
    private final Map<TaskAttempt, String> replacements = new IdentityHashMap<>(); // guarded by this
    private long abandoned; // guarded by this
    private long late; // guarded by this

    /**
     * Gives up on {@code a}'s thread: true, and {@code a} is registered as stuck and counted as abandoned, unless the
     * thread returned first (false: the worker may go on).
     */
    synchronized boolean declare(TaskAttempt a, Stuck s) {
        if (!a.threadState.compareAndSet(TaskAttempt.RUNNING, TaskAttempt.STUCK)) {
            return false;
        }
        now.put(a, s);
        abandoned++;
        return true;
    }

    /** Names the agent that took the stuck worker's place (or why none did). */
    synchronized void replacedBy(TaskAttempt a, String replacement) {
        if (now.containsKey(a)) {
            replacements.put(a, replacement);
        }
    }

    /** {@code a}'s abandoned thread returned after all: no longer stuck; counted as a late (ignored) outcome. */
    synchronized void lateReturn(TaskAttempt a) {
        now.remove(a);
        replacements.remove(a);
        late++;
    }

    synchronized int count() {
        return now.size();
    }

    synchronized long abandoned() {
        return abandoned;
    }

    synchronized long late() {
        return late;
    }

    /**
     * {@code report} with the stuck workers added as problems (not live; ready, as they have no readiness probe) and
     * counted as stuck: a running runtime with any is DEGRADED.
     */
    HealthReport addTo(HealthReport report, Function<String, AgentState> stateOf) {
        List<HealthReport.AgentHealth> stuck = new ArrayList<>();
        synchronized (this) {
            now.forEach((a, s) -> stuck.add(new HealthReport.AgentHealth(s.worker(), null, false, true,
                    s.detail(replacements.getOrDefault(a, "(being replaced)")))));
        }
        if (stuck.isEmpty()) {
            return report;
        }
        List<HealthReport.AgentHealth> problems = new ArrayList<>(report.problems());
        for (HealthReport.AgentHealth h : stuck) { // the agent's state, read outside the monitor
            problems.add(new HealthReport.AgentHealth(h.agent(), stateOf.apply(h.agent()), false, true, h.detail()));
        }
        HealthReport.Status status = report.status() == HealthReport.Status.DOWN ? HealthReport.Status.DOWN
                : HealthReport.Status.DEGRADED;
        return new HealthReport(status, report.checked(), report.stuck() + stuck.size(), report.notReady(), problems,
                report.faults());
    }
}
