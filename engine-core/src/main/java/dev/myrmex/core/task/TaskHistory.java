package dev.myrmex.core.task;

import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalRecord;
import dev.myrmex.core.journal.TaskSubmission;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a journal says about tasks: each task's submission and, if it ended, how. A starting runtime feeds it every
 * journal record ({@link #accept}) and gives it to {@link TaskQueue#restore}. Not thread-safe: one reader fills it.
 */
public final class TaskHistory {
    /** One task as the journal has it: its submission (null if only its end was journalled) and its end, if any. */
    record Known(long id, TaskSubmission record, TaskStatus end, String reason, Instant endedAt) {
    }

    private final TreeMap<Long, Known> tasks = new TreeMap<>();

    /** Takes one journal record, in journal order; ignores records about anything but tasks. */
    public void accept(JournalRecord r) {
        if (r instanceof TaskSubmission s) {
            // an end journalled before the submission (the queue journals after its lock) stays the end
            Known k = tasks.get(s.task());
            tasks.put(s.task(), k == null ? new Known(s.task(), s, null, null, null)
                    : new Known(s.task(), s, k.end(), k.reason(), k.endedAt()));
            return;
        }
        if (!(r instanceof JournalEvent e) || e.task() == null) {
            return;
        }
        long id;
        try {
            id = TaskId.parse(e.task()).value();
        } catch (IllegalArgumentException notATaskId) {
            return;
        }
        EventType type = e.type();
        Known k = tasks.get(id);
        TaskStatus end = switch (type) {
            case TASK_SUCCEEDED -> TaskStatus.SUCCEEDED;
            case TASK_FAILED -> TaskStatus.FAILED;
            case TASK_TIMED_OUT -> TaskStatus.TIMEOUT;
            case TASK_CANCELLED -> TaskStatus.CANCELLED;
            default -> null;
        };
        if (end != null) { // with no submission yet: it may follow (see above)
            tasks.put(id, new Known(id, k == null ? null : k.record(), end, e.details(), e.time()));
        }
    }

    /** Whether no task was read. */
    public boolean isEmpty() {
        return tasks.isEmpty();
    }

    /** The tasks, by id (the order they were submitted in, so dependencies come first). */
    Map<Long, Known> tasks() {
        return tasks;
    }
}
