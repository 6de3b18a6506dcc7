package dev.myrmex.core.task;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Ready tasks and idle workers, matched: ready tasks per task name in priority order (lowest number first, then
 * oldest), idle workers per name they take (or taking any). A task leaves its ready queue lazily: when it is no
 * longer {@code ready} (cancelled), it is dropped once it reaches the head. Guarded by the queue's lock.
 */
final class Matching {
    static final Comparator<TaskEntry> ORDER = Comparator.<TaskEntry>comparingInt(t -> t.request.priority())
            .thenComparingLong(t -> t.id.value());

    private final Map<String, PriorityQueue<TaskEntry>> ready = new HashMap<>();
    private final Map<String, LinkedHashSet<WorkerSlot>> idleByName = new HashMap<>();
    private final LinkedHashSet<WorkerSlot> idleAny = new LinkedHashSet<>();

    /** An idle worker that takes tasks named {@code name} (one for that name first), or null. */
    WorkerSlot idleWorkerFor(String name) {
        LinkedHashSet<WorkerSlot> named = idleByName.get(name);
        if (named != null && !named.isEmpty()) {
            return named.getFirst();
        }
        return idleAny.isEmpty() ? null : idleAny.getFirst();
    }

    /** Queues {@code t} as ready. */
    void addReady(TaskEntry t) {
        t.ready = true;
        ready.computeIfAbsent(t.request.name(), n -> new PriorityQueue<>(ORDER)).add(t);
    }

    /** Takes the first ready task {@code w} takes, or returns null. */
    TaskEntry takeFor(WorkerSlot w) {
        TaskEntry best = null;
        PriorityQueue<TaskEntry> from = null;
        Iterable<String> names = w.names.isEmpty() ? new ArrayList<>(ready.keySet()) : w.names;
        for (String n : names) {
            PriorityQueue<TaskEntry> q = ready.get(n);
            if (q == null) {
                continue;
            }
            while (!q.isEmpty() && !q.peek().ready) {
                q.poll(); // left by a cancel
            }
            if (q.isEmpty()) {
                ready.remove(n);
            } else if (best == null || ORDER.compare(q.peek(), best) < 0) {
                best = q.peek();
                from = q;
            }
        }
        if (best == null) {
            return null;
        }
        from.poll();
        if (from.isEmpty()) {
            ready.remove(best.request.name());
        }
        best.ready = false;
        return best;
    }

    /** Marks {@code w} idle (matchable) or busy. */
    void setIdle(WorkerSlot w, boolean idle) {
        w.idle = idle;
        if (w.names.isEmpty()) {
            if (idle) {
                idleAny.add(w);
            } else {
                idleAny.remove(w);
            }
            return;
        }
        for (String n : w.names) {
            if (idle) {
                idleByName.computeIfAbsent(n, k -> new LinkedHashSet<>()).add(w);
            } else {
                LinkedHashSet<WorkerSlot> set = idleByName.get(n);
                if (set != null && set.remove(w) && set.isEmpty()) {
                    idleByName.remove(n);
                }
            }
        }
    }
}
