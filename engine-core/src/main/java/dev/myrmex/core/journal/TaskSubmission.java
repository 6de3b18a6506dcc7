package dev.myrmex.core.journal;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A task's submission as the journal keeps it: enough for a restarted runtime to queue the task again. Typed and
 * encoded by the journal like a {@link Checkpoint}, never as text; a query or an export shows it as the
 * {@link #event()} it stands for ({@link EventType#TASK_SUBMITTED}, or {@link EventType#TASK_REQUEUED} when a
 * restarted runtime queued it again).
 *
 * <p>The input is one of three: none (all three input components null), encoded ({@code inputCodec} and
 * {@code input}: the bytes of the runtime's task input codec), or not journalled ({@code inputMissing}: why the
 * codec could not encode it; such a task cannot come back after a crash). The bytes are copied in and out.
 *
 * @param time         when it was submitted (or queued again), by the wall clock
 * @param task         the task's id
 * @param requeued     whether a restarted runtime queued it again (else: a submission)
 * @param name         the task's name
 * @param priority     its priority
 * @param dependencies the ids of the tasks it waits for
 * @param timeout      per attempt, or null for none
 * @param maxRetries   retries after a failed attempt
 * @param inputCodec   the id of the codec that encoded {@code input}, or null
 * @param input        the encoded input, or null
 * @param inputMissing why the input is not in the journal, or null
 */
public record TaskSubmission(Instant time, long task, boolean requeued, String name, int priority,
                             List<Long> dependencies, Duration timeout, int maxRetries, String inputCodec,
                             byte[] input, String inputMissing) implements JournalRecord {
    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException if the id is not positive, the retries are negative, or the input is not
     *                                  exactly one of none, encoded and not journalled
     */
    public TaskSubmission {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(name, "name");
        dependencies = List.copyOf(dependencies);
        if (task < 1) {
            throw new IllegalArgumentException("a task id is positive: " + task);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
        }
        if ((inputCodec == null) != (input == null) || inputMissing != null && inputCodec != null) {
            throw new IllegalArgumentException("a task's input is none, encoded (codec and bytes) or not journalled"
                    + " (a reason): codec " + inputCodec + ", " + (input == null ? "no bytes" : "bytes")
                    + ", reason " + inputMissing);
        }
        input = input == null ? null : input.clone();
    }

    @Override
    public byte[] input() {
        return input == null ? null : input.clone();
    }

    /** The same submission, as queued again by a restarted runtime at {@code when}. */
    public TaskSubmission requeuedAt(Instant when) {
        return new TaskSubmission(when, task, true, name, priority, dependencies, timeout, maxRetries, inputCodec,
                input, inputMissing);
    }

    /** The event type it stands for. */
    public EventType type() {
        return requeued ? EventType.TASK_REQUEUED : EventType.TASK_SUBMITTED;
    }

    /**
     * The event a query or an export shows for it: its type, the task's id, and a summary in the details, such as
     * {@code resize, priority 10, after 3,4, timeout PT5S, 2 retries, input myrmex-json-v1 (12 bytes)}.
     */
    public JournalEvent event() {
        StringBuilder b = new StringBuilder(64).append(name).append(", priority ").append(priority);
        if (!dependencies.isEmpty()) {
            b.append(", after ");
            for (int i = 0; i < dependencies.size(); i++) {
                b.append(i == 0 ? "" : ",").append(dependencies.get(i));
            }
        }
        if (timeout != null) {
            b.append(", timeout ").append(timeout);
        }
        b.append(", ").append(maxRetries).append(maxRetries == 1 ? " retry" : " retries");
        if (input != null) {
            b.append(", input ").append(inputCodec).append(" (").append(input.length).append(" bytes)");
        } else if (inputMissing != null) {
            b.append(", input not journalled: ").append(inputMissing);
        }
        EventType type = type();
        return new JournalEvent(time, type, type.severity(), null, Long.toString(task), b.toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TaskSubmission s && time.equals(s.time) && task == s.task && requeued == s.requeued
                && name.equals(s.name) && priority == s.priority && dependencies.equals(s.dependencies)
                && Objects.equals(timeout, s.timeout) && maxRetries == s.maxRetries
                && Objects.equals(inputCodec, s.inputCodec) && Arrays.equals(input, s.input)
                && Objects.equals(inputMissing, s.inputMissing);
    }

    @Override
    public int hashCode() {
        return Objects.hash(time, task, requeued, name, priority, dependencies, timeout, maxRetries, inputCodec,
                Arrays.hashCode(input), inputMissing);
    }

    @Override
    public String toString() {
        return "TaskSubmission[" + time + ", task " + task + ": " + event().details() + "]";
    }
}
