package dev.myrmex.core.task;

import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a journal says about tasks: each task's submission and, if it ended, how. A starting runtime feeds it every
 * journal event ({@link #accept}) and gives it to {@link TaskQueue#restore}. Not thread-safe: one reader fills it.
 */
public final class TaskHistory {
    /** One task as the journal has it: its submission (or why it cannot be read) and its end, if any. */
    record Known(long id, TaskRecord record, String unreadable, TaskStatus end, String reason, Instant endedAt) {
    }

    private final TreeMap<Long, Known> tasks = new TreeMap<>();

    /** Takes one journal event, in journal order; ignores events about anything but tasks. */
    public void accept(JournalEvent e) {
        if (e.task() == null) {
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
        if (type == EventType.TASK_SUBMITTED || type == EventType.TASK_REQUEUED) {
            // an end journalled before the submission (the queue journals after its lock) stays the end
            TaskStatus end = k == null ? null : k.end();
            String reason = k == null ? null : k.reason();
            Instant endedAt = k == null ? null : k.endedAt();
            try {
                tasks.put(id, new Known(id, TaskRecord.parse(e.details()), null, end, reason, endedAt));
            } catch (IllegalArgumentException bad) {
                tasks.put(id, new Known(id, null, "its journalled submission cannot be read (" + bad.getMessage()
                        + ")", end, reason, endedAt));
            }
            return;
        }
        TaskStatus end = switch (type) {
            case TASK_SUCCEEDED -> TaskStatus.SUCCEEDED;
            case TASK_FAILED -> TaskStatus.FAILED;
            case TASK_TIMED_OUT -> TaskStatus.TIMEOUT;
            case TASK_CANCELLED -> TaskStatus.CANCELLED;
            default -> null;
        };
        if (end != null) { // with no submission yet: it may follow (see above)
            tasks.put(id, k == null ? new Known(id, null, null, end, e.details(), e.time())
                    : new Known(id, k.record(), k.unreadable(), end, e.details(), e.time()));
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
