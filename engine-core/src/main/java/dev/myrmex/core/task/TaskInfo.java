package dev.myrmex.core.task;

import dev.myrmex.core.Val;
import java.time.Instant;
import java.util.List;

/**
 * A task as it stood when asked: its request, status, attempts and run record (stage history, output, error).
 *
 * @param id          its id
 * @param request     what was submitted
 * @param status      where it stands
 * @param reason      why it is CANCELLED, FAILED or TIMEOUT, or why it waits ("waiting for 3 dependencies"), or ""
 * @param attempts    attempts started so far (a retry is an attempt)
 * @param worker      the agent running or last running it, or null
 * @param result      what the successful attempt returned, or null
 * @param output      the text the attempts wrote ({@link TaskContext#output})
 * @param error       the last failed attempt's stack trace, or ""
 * @param progress    the progress reports of every attempt, oldest first
 * @param submittedAt when it was submitted
 * @param startedAt   when its latest attempt started, or null
 * @param finishedAt  when it ended, or null
 */
public record TaskInfo(TaskId id, TaskRequest request, TaskStatus status, String reason, int attempts, String worker,
                       Val result, String output, String error, List<TaskProgress> progress, Instant submittedAt,
                       Instant startedAt, Instant finishedAt) {
    public TaskInfo {
        progress = List.copyOf(progress);
    }

    /** The latest progress report, or null if none yet. */
    public TaskProgress lastProgress() {
        return progress.isEmpty() ? null : progress.getLast();
    }
}
