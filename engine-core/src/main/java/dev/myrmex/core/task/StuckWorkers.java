package dev.myrmex.core.task;

import dev.myrmex.core.AgentState;
import dev.myrmex.core.metrics.HealthReport;
import dev.myrmex.sched.SpinLock;
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
 * <p><b>Threads.</b> Thread-safe, on its own {@link SpinLock} (health may be read on a carrier): it is touched only
 * when a worker is declared stuck, when an abandoned thread returns, and when health or the queue's status is read,
 * never on a task's normal path. It calls nothing outside itself while holding the lock, so the queue may call it
 * under the queue's lock. The {@code RUNNING -> STUCK} move of an attempt happens only in {@link #declare}, under the
 * lock, together with the registration; {@link #lateReturn} runs under the same lock, so a thread returning at that
 * very moment finds its entry and takes it out (see {@link TaskAttempt}).
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

    private final SpinLock lock = new SpinLock();
    private final Map<TaskAttempt, Stuck> now = new IdentityHashMap<>(); // guarded by lock
    private final Map<TaskAttempt, String> replacements = new IdentityHashMap<>(); // guarded by lock
    private volatile long abandoned; // written under lock, read without
    private volatile long late; // written under lock, read without

    /**
     * Gives up on {@code a}'s thread: true, and {@code a} is registered as stuck and counted as abandoned, unless the
     * thread returned first (false: the worker may go on).
     */
    boolean declare(TaskAttempt a, Stuck s) {
        lock.lock();
        try {
            if (!a.threadState.compareAndSet(TaskAttempt.RUNNING, TaskAttempt.STUCK)) {
                return false;
            }
            now.put(a, s);
            abandoned++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Names the agent that took the stuck worker's place (or why none did). */
    void replacedBy(TaskAttempt a, String replacement) {
        lock.lock();
        try {
            if (now.containsKey(a)) {
                replacements.put(a, replacement);
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@code a}'s abandoned thread returned after all: no longer stuck; counted as a late (ignored) outcome. */
    void lateReturn(TaskAttempt a) {
        lock.lock();
        try {
            now.remove(a);
            replacements.remove(a);
            late++;
        } finally {
            lock.unlock();
        }
    }

    int count() {
        lock.lock();
        try {
            return now.size();
        } finally {
            lock.unlock();
        }
    }

    long abandoned() {
        return abandoned;
    }

    long late() {
        return late;
    }

    /**
     * {@code report} with the stuck workers added as problems (not live; ready, as they have no readiness probe) and
     * counted as stuck: a running runtime with any is DEGRADED.
     */
    HealthReport addTo(HealthReport report, Function<String, AgentState> stateOf) {
        List<HealthReport.AgentHealth> stuck = new ArrayList<>();
        lock.lock();
        try {
            now.forEach((a, s) -> stuck.add(new HealthReport.AgentHealth(s.worker(), null, false, true,
                    s.detail(replacements.getOrDefault(a, "(being replaced)")))));
        } finally {
            lock.unlock();
        }
        if (stuck.isEmpty()) {
            return report;
        }
        List<HealthReport.AgentHealth> problems = new ArrayList<>(report.problems());
        for (HealthReport.AgentHealth h : stuck) { // the agent's state, read outside the lock
            problems.add(new HealthReport.AgentHealth(h.agent(), stateOf.apply(h.agent()), false, true, h.detail()));
        }
        HealthReport.Status status = report.status() == HealthReport.Status.DOWN ? HealthReport.Status.DOWN
                : HealthReport.Status.DEGRADED;
        return new HealthReport(status, report.checked(), report.stuck() + stuck.size(), report.notReady(), problems,
                report.faults());
    }
}
