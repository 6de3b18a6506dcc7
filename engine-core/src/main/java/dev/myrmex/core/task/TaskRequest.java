package dev.myrmex.core.task;

import dev.myrmex.core.Val;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What to run: a task name (which workers take it), an input, a priority, the tasks it waits for, a timeout per
 * attempt and how many times a failed attempt is retried. Immutable; the {@code with...} methods return a copy.
 *
 * <pre>{@code
 * TaskId load = rt.tasks().submit(TaskRequest.of("load", new Source("s3://bucket/day")));
 * TaskId sum = rt.tasks().submit(TaskRequest.of("sum", new Window(60))
 *         .withPriority(10).after(load).withTimeout(Duration.ofSeconds(30)).withMaxRetries(2));
 * }</pre>
 *
 * <p>In a batch ({@link TaskQueue#submitAll}) the requests may instead name each other: {@link #withKey} gives a
 * request a key, {@link #afterKeys} makes it wait for the requests with those keys.
 *
 * @param name         which workers take it: those registered for this name, or for any
 * @param input        what the worker gets, or null
 * @param priority     0 (first) to 100 (last); {@value #DEFAULT_PRIORITY} by default
 * @param dependencies tasks that must succeed before this one runs
 * @param timeout      how long one attempt may run, or null for no limit
 * @param maxRetries   how many times a failed attempt is tried again, 0 or more
 * @param key          this request's name within a batch, or null
 * @param afterKeys    keys of requests of the same batch that must succeed first
 */
public record TaskRequest(String name, Val input, int priority, List<TaskId> dependencies, Duration timeout,
                          int maxRetries, String key, List<String> afterKeys) {
    public static final int DEFAULT_PRIORITY = 50;
    public static final int HIGHEST_PRIORITY = 0;
    public static final int LOWEST_PRIORITY = 100;

    public TaskRequest {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a task needs a name");
        }
        if (priority < HIGHEST_PRIORITY || priority > LOWEST_PRIORITY) {
            throw new IllegalArgumentException("task priority must be 0 (highest) to 100 (lowest): " + priority);
        }
        dependencies = List.copyOf(dependencies);
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("a task timeout must be positive: " + timeout);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries cannot be negative: " + maxRetries);
        }
        if (key != null && key.isBlank()) {
            throw new IllegalArgumentException("a task key cannot be blank");
        }
        afterKeys = List.copyOf(afterKeys);
    }

    /** A request for task {@code name} with {@code input}: priority 50, no dependencies, no timeout, no retries. */
    public static TaskRequest of(String name, Val input) {
        return new TaskRequest(name, input, DEFAULT_PRIORITY, List.of(), null, 0, null, List.of());
    }

    /** This request with another input (null: none). */
    public TaskRequest withInput(Val in) {
        return new TaskRequest(name, in, priority, dependencies, timeout, maxRetries, key, afterKeys);
    }

    public TaskRequest withPriority(int p) {
        return new TaskRequest(name, input, p, dependencies, timeout, maxRetries, key, afterKeys);
    }

    /** Waits for these tasks (in addition to any given before). */
    public TaskRequest after(TaskId... tasks) {
        return new TaskRequest(name, input, priority, plus(dependencies, List.of(tasks)), timeout, maxRetries, key,
                afterKeys);
    }

    public TaskRequest withTimeout(Duration t) {
        return new TaskRequest(name, input, priority, dependencies, t, maxRetries, key, afterKeys);
    }

    public TaskRequest withMaxRetries(int n) {
        return new TaskRequest(name, input, priority, dependencies, timeout, n, key, afterKeys);
    }

    public TaskRequest withKey(String k) {
        return new TaskRequest(name, input, priority, dependencies, timeout, maxRetries, k, afterKeys);
    }

    /** Waits for the requests of the same batch with these keys (in addition to any given before). */
    public TaskRequest afterKeys(String... keys) {
        return new TaskRequest(name, input, priority, dependencies, timeout, maxRetries, key,
                plus(afterKeys, List.of(keys)));
    }

    private static <T> List<T> plus(List<T> list, List<T> more) {
        List<T> all = new java.util.ArrayList<>(list);
        all.addAll(more);
        return all;
    }
}
