package dev.myrmex.core.task;

import dev.myrmex.core.Val;
import dev.myrmex.core.codec.ValueCodec;
import dev.myrmex.core.journal.TaskSubmission;
import dev.myrmex.core.recovery.RecoveryReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link TaskQueue#restore}'s two halves: decoding the journalled inputs (outside the queue's lock: the codec is user
 * code), then rebuilding the queue's state from them (under it, called by the queue).
 */
final class TaskRestore {
    /** A journalled task with its input decoded, or why it could not be. */
    record Decoded(TaskHistory.Known known, Val input, String whyNot) {
    }

    private TaskRestore() {
    }

    static List<Decoded> decode(ValueCodec<Val> codec, TaskHistory history) {
        List<Decoded> all = new ArrayList<>(history.tasks().size());
        for (TaskHistory.Known k : history.tasks().values()) {
            if (k.end() != null || k.record() == null) {
                all.add(new Decoded(k, null, null));
            } else {
                TaskInputs.Decoded in = TaskInputs.decode(codec, k.record());
                all.add(new Decoded(k, in.input(), in.whyNot()));
            }
        }
        return all;
    }

    /** Rebuilds {@code q}'s tasks from {@code all}, in id order (dependencies first). Runs under {@code q}'s lock. */
    static RecoveryReport.Tasks apply(TaskQueue q, List<Decoded> all, TaskEffects fx) {
        List<TaskId> requeued = new ArrayList<>();
        List<RecoveryReport.NotRequeued> notRequeued = new ArrayList<>();
        Instant now = q.now();
        List<TaskEntry> ended = new ArrayList<>();
        for (Decoded d : all) {
            TaskHistory.Known k = d.known();
            TaskId id = new TaskId(k.id());
            q.lastId = Math.max(q.lastId, k.id());
            TaskSubmission r = k.record();
            if (r == null) {
                continue; // its end was journalled, its submission was not (the crash fell in between)
            }
            TaskRequest request = new TaskRequest(r.name(), d.input(), r.priority(),
                    r.dependencies().stream().map(TaskId::new).toList(), r.timeout(), r.maxRetries(), null, List.of());
            boolean endedBefore = k.end() != null;
            TaskEntry t = new TaskEntry(id, request, request.dependencies(), now,
                    d.input() == null ? 0 : r.input().length);
            t.inputForgotten = endedBefore && (r.input() != null || r.inputMissing() != null); // not read back
            q.tasks.put(k.id(), t);
            if (endedBefore) { // finished before the restart: remembered, not counted again
                t.status = k.end();
                // a success's event names the task; other ends' events say why
                t.reason = k.reason() == null || k.end() == TaskStatus.SUCCEEDED ? "" : k.reason();
                t.finishedAt = k.endedAt();
                ended.add(t); // remembered after the loop: a task queued again may wait on it
                t.done.complete(t.info());
                continue;
            }
            q.pending++;
            if (d.whyNot() != null) {
                String why = "not queued again after the restart: " + d.whyNot();
                q.finish(t, TaskStatus.FAILED, why, fx);
                notRequeued.add(new RecoveryReport.NotRequeued(id, request.name(), why));
                continue;
            }
            List<TaskEntry> deps = new ArrayList<>();
            String missing = null;
            for (Long dep : r.dependencies()) {
                TaskEntry e = q.tasks.get(dep);
                if (e == null) {
                    missing = "not queued again after the restart: its dependency " + dep
                            + " is no longer in the journal";
                    break;
                }
                deps.add(e);
            }
            if (missing != null) {
                q.finish(t, TaskStatus.CANCELLED, missing, fx);
                notRequeued.add(new RecoveryReport.NotRequeued(id, request.name(), missing));
            } else {
                fx.journal(() -> q.events.taskSubmitted(r.requeuedAt(q.now())));
                requeued.add(id);
                q.wire(t, deps, fx);
            }
        }
        // oldest first, before the ones that ended just now (finish remembered those already)
        List<TaskEntry> endedNow = new ArrayList<>(q.finished);
        q.finished.clear();
        q.finished.addAll(ended);
        q.finished.addAll(endedNow);
        while (q.finished.size() > q.retention) {
            q.forgetOldest();
        }
        return new RecoveryReport.Tasks(requeued, notRequeued);
    }
}
