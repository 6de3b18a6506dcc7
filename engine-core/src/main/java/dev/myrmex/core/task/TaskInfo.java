package dev.myrmex.core.task;

import dev.myrmex.core.Val;
import java.time.Instant;
import java.util.List;

/**
 * A task as it stood when asked: its request, status, attempts and run record (stage history, output, error).
 *
 * @param id          its id
 * @param request     what was submitted; its input is null once forgotten ({@code inputForgotten})
 * @param dependencies the tasks it waits or waited for, by id: those the request named by id and, in a batch, by key
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
 * @param inputForgotten whether the request's input was let go after the task ended, to keep the finished tasks'
 *                    inputs within {@link TaskSettings#retainedInputBytes()} (the journal still has it), or after a
 *                    restart
 */
public record TaskInfo(TaskId id, TaskRequest request, List<TaskId> dependencies, TaskStatus status, String reason,
                       int attempts, String worker, Val result, String output, String error,
                       List<TaskProgress> progress, Instant submittedAt, Instant startedAt, Instant finishedAt,
                       boolean inputForgotten) {
    public TaskInfo {
        dependencies = List.copyOf(dependencies);
        progress = List.copyOf(progress);
    }

    /**
     * Where the task's work stands: the latest report of the attempt running now or, once the task has ended, of its
     * last attempt; null while it waits (for its dependencies, a worker, or its next attempt after a failed one: a
     * failed attempt's stage is not the task's) and before the running attempt's first report. Every report of every
     * attempt is in {@link #progress()}.
     */
    public TaskProgress currentProgress() {
        if (status == TaskStatus.PENDING || progress.isEmpty()) {
            return null;
        }
        TaskProgress last = progress.getLast();
        return last.attempt() == attempts ? last : null;
    }
}
