package dev.myrmex.core.internal;

import dev.myrmex.core.AgentState;
import dev.myrmex.core.AgentStuckException;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.metrics.HealthCheck;
import dev.myrmex.core.metrics.HealthReport;
import dev.myrmex.core.time.RuntimeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the agents' health checks ({@link HealthCheck}) at an interval, on a platform thread of its own (a probe may
 * be slow; the carriers must not wait for it).
 *
 * <p>Threads: any thread {@link #watch}es and {@link #unwatch}es agents (a concurrent map); only the monitor thread
 * runs the checks and writes an entry's fields, which are volatile for {@link #report} on any thread. An agent's
 * heartbeat counter is written by its behavior with plain stores and read here with opaque reads: a check sees a
 * recent value, which is all a timeout of seconds needs.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

    private final Map<AgentCell<?>, Entry> watched = new ConcurrentHashMap<>();
    private final RuntimeClock clock;
    private final long intervalNanos;
    private final RuntimeCounters counters;
    private final Thread thread;
    private volatile boolean closed;

    private static final class Entry {
        final HealthCheck check;
        long lastBeats = -1; // monitor thread only
        long lastChangeAt; // monitor thread only
        volatile boolean stuck;
        volatile boolean ready = true;
        volatile String detail = "";

        Entry(HealthCheck check) {
            this.check = check;
        }
    }

    public HealthMonitor(RuntimeClock clock, Duration interval, RuntimeCounters counters) {
        this.clock = clock;
        this.intervalNanos = interval.toNanos();
        this.counters = counters;
        this.thread = Thread.ofPlatform().daemon().name("myrmex-health").unstarted(this::loop);
    }

    /** Starts the monitor's thread; once, before any {@link #close}. */
    public void start() {
        thread.start();
    }

    public void watch(AgentCell<?> cell, HealthCheck check) {
        watched.put(cell, new Entry(check));
    }

    public void unwatch(AgentCell<?> cell) {
        watched.remove(cell);
    }

    private void loop() {
        while (!closed) {
            try {
                checkAll();
            } catch (RuntimeException e) {
                LOG.error("a health check round failed; the next one runs as usual", e);
            }
            LockSupport.parkNanos(this, intervalNanos);
        }
    }

    /** One round of checks. */
    void checkAll() {
        long now = clock.nanoTime();
        for (Map.Entry<AgentCell<?>, Entry> w : watched.entrySet()) {
            AgentCell<?> cell = w.getKey();
            Entry e = w.getValue();
            Duration timeout = e.check.livenessTimeout();
            if (timeout != null) {
                checkLiveness(cell, e, timeout, now);
            }
            if (e.check.readiness() != null) {
                checkReadiness(cell, e);
            }
        }
    }

    private void checkLiveness(AgentCell<?> cell, Entry e, Duration timeout, long now) {
        long beats = cell.heartbeats();
        boolean judged = cell.state() == AgentState.RUNNING && !cell.isWaitingForMail();
        if (beats != e.lastBeats || !judged) {
            if (beats != e.lastBeats) {
                e.stuck = false; // progress: live again (a restarted incarnation's first receive, say)
            }
            e.lastBeats = beats;
            e.lastChangeAt = now; // waiting for mail, paused or restarting is not being stuck: the clock restarts
            return;
        }
        if (!e.stuck && now - e.lastChangeAt >= timeout.toNanos()) {
            AgentStuckException stuck = new AgentStuckException("agent " + cell.name() + " made no progress for over "
                    + timeout + " (no message taken, no receive, no heartbeat)");
            cell.stuck(stuck); // first: whoever sees the report below may count on the agent having been told
            e.detail = "no heartbeat for over " + timeout + " while busy";
            e.stuck = true;
            counters.livenessFailed();
            LOG.warn("agent {} is stuck: {}", cell.name(), stuck.getMessage());
            counters.events().record(EventType.AGENT_STUCK, cell.name(), e.detail);
        }
    }

    private static void checkReadiness(AgentCell<?> cell, Entry e) {
        boolean ready;
        String why;
        try {
            ready = e.check.readiness().getAsBoolean();
            why = ready ? "" : "readiness probe says not ready";
        } catch (RuntimeException ex) {
            ready = false;
            why = "readiness probe threw " + ex;
        }
        e.ready = ready;
        if (!e.stuck) {
            e.detail = why;
        }
    }

    /** The last round's findings; DOWN if the runtime is not running or has {@code faults} of its own. */
    public HealthReport report(boolean runtimeRunning, List<String> faults) {
        List<HealthReport.AgentHealth> problems = new ArrayList<>();
        int stuck = 0;
        int notReady = 0;
        for (Map.Entry<AgentCell<?>, Entry> w : watched.entrySet()) {
            Entry e = w.getValue();
            AgentState state = w.getKey().state();
            boolean ready = e.ready && (e.check.readiness() != null || state == AgentState.RUNNING);
            if (e.stuck) {
                stuck++;
            }
            if (!ready) {
                notReady++;
            }
            if (e.stuck || !ready) {
                problems.add(new HealthReport.AgentHealth(w.getKey().name(), state, !e.stuck, ready,
                        e.detail.isEmpty() ? "not RUNNING" : e.detail));
            }
        }
        HealthReport.Status status = !runtimeRunning || !faults.isEmpty() ? HealthReport.Status.DOWN
                : problems.isEmpty() ? HealthReport.Status.UP : HealthReport.Status.DEGRADED;
        return new HealthReport(status, watched.size(), stuck, notReady, problems, faults);
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
