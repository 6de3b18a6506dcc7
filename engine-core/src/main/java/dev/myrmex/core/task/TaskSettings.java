package dev.myrmex.core.task;

import dev.myrmex.core.Val;
import dev.myrmex.core.codec.ValueCodec;
import dev.myrmex.core.resilience.Backoff;
import java.time.Duration;
import java.util.Objects;

/**
 * How a runtime's task queue ({@link TaskQueue}) is bounded, retries and journals: given to
 * {@code AgentRuntime.Builder.tasks}.
 *
 * <pre>{@code
 * AgentRuntime rt = AgentRuntime.builder()
 *         .tasks(TaskSettings.DEFAULTS.withCapacity(1_000).withRetryBackoff(Backoff.fixed(Duration.ofMillis(50))))
 *         .build();
 * }</pre>
 *
 * @param capacity       the most tasks that may be pending or running at once; a submission beyond it is refused
 * @param retention      how many finished tasks are remembered for status, list and await; 0 or more
 * @param retainedInputBytes how many bytes of input the remembered finished tasks may hold, 0 or more, measured as
 *                       the input codec encodes them (a {@code Json} tree takes several times that in memory; an
 *                       input the codec cannot encode counts 0). Beyond it, the input of the task that ended first is
 *                       let go: its record stays, its input reads null and {@link TaskInfo#inputForgotten()} true
 *                       (the journal keeps it). Inputs of pending and running tasks are not limited by it: the
 *                       capacity bounds those
 * @param retryBackoff   the wait before a failed task's retry n
 * @param inputCodec     how task inputs are journalled, so that a runtime restarted on the same journal can queue
 *                       unfinished tasks again. The default, {@link TaskInputs#JSON}, journals {@code Json} inputs;
 *                       give a codec for the {@code Val}s your tasks take (it may hand {@code Json} values to the
 *                       default). A task whose input the codec cannot encode still runs; after a crash it ends
 *                       FAILED, its reason saying the input was never journalled
 * @param interruptGrace how long a task attempt's thread may take to return once it is interrupted (its timeout
 *                       passed, or the task was cancelled) before its worker is declared stuck: reported
 *                       ({@code TASK_WORKER_STUCK}, the runtime's health DEGRADED), counted
 *                       ({@link QueueStatus#abandonedAttempts()}) and replaced by a fresh worker agent for the same
 *                       task names. Until then the worker takes no other task: one worker never runs two attempts at
 *                       once. Positive
 */
public record TaskSettings(int capacity, int retention, long retainedInputBytes, Backoff retryBackoff,
                           ValueCodec<Val> inputCodec, Duration interruptGrace) {
    /**
     * The default {@link #interruptGrace}, in seconds: long enough for an attempt that checks for interrupts between
     * steps of a second or two, or blocks in interruptible calls, to return on a loaded machine; short enough that a
     * name served by one worker stalls for seconds, not minutes, behind an attempt that never returns. Lower it for
     * short tasks, raise it for steps that block uninterruptibly for longer.
     */
    public static final int DEFAULT_INTERRUPT_GRACE_SECONDS = 10;
    /** The default {@link #retainedInputBytes}: 32 MiB of encoded input. */
    public static final long DEFAULT_RETAINED_INPUT_BYTES = 32L << 20;

    /**
     * Capacity 100,000; 10,000 finished tasks retained, with at most 32 MiB of their inputs; retries exponential from
     * 100 ms, doubling, at most 30 s, 20% jitter; {@code Json} inputs journalled; an interrupt grace of
     * {@value #DEFAULT_INTERRUPT_GRACE_SECONDS} s.
     */
    public static final TaskSettings DEFAULTS = new TaskSettings(100_000, 10_000, DEFAULT_RETAINED_INPUT_BYTES,
            Backoff.exponential(Duration.ofMillis(100), 2, Duration.ofSeconds(30)).withJitter(0.2), TaskInputs.JSON,
            Duration.ofSeconds(DEFAULT_INTERRUPT_GRACE_SECONDS));

    /** @throws IllegalArgumentException naming the value that is out of range */
    public TaskSettings {
        if (capacity < 1) {
            throw new IllegalArgumentException("taskCapacity must be at least 1: " + capacity);
        }
        if (retention < 0) {
            throw new IllegalArgumentException("taskRetention cannot be negative: " + retention);
        }
        if (retainedInputBytes < 0) {
            throw new IllegalArgumentException("retainedInputBytes cannot be negative: " + retainedInputBytes);
        }
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        Objects.requireNonNull(inputCodec, "inputCodec");
        Objects.requireNonNull(interruptGrace, "interruptGrace");
        if (interruptGrace.isNegative() || interruptGrace.isZero()) {
            throw new IllegalArgumentException("taskInterruptGrace must be positive: " + interruptGrace);
        }
    }

    public TaskSettings withCapacity(int n) {
        return new TaskSettings(n, retention, retainedInputBytes, retryBackoff, inputCodec, interruptGrace);
    }

    public TaskSettings withRetention(int n) {
        return new TaskSettings(capacity, n, retainedInputBytes, retryBackoff, inputCodec, interruptGrace);
    }

    public TaskSettings withRetainedInputBytes(long n) {
        return new TaskSettings(capacity, retention, n, retryBackoff, inputCodec, interruptGrace);
    }

    public TaskSettings withRetryBackoff(Backoff backoff) {
        return new TaskSettings(capacity, retention, retainedInputBytes, backoff, inputCodec, interruptGrace);
    }

    public TaskSettings withInputCodec(ValueCodec<Val> codec) {
        return new TaskSettings(capacity, retention, retainedInputBytes, retryBackoff, codec, interruptGrace);
    }

    public TaskSettings withInterruptGrace(Duration grace) {
        return new TaskSettings(capacity, retention, retainedInputBytes, retryBackoff, inputCodec, grace);
    }
}
