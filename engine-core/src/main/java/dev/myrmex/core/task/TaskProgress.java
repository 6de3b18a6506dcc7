package dev.myrmex.core.task;

import java.time.Instant;
import java.util.Objects;

/**
 * One progress report of a run.
 *
 * @param stage   the stage's name ({@link TaskStage} names by default)
 * @param percent how far along, 0 to 100
 * @param message what the worker said, or ""
 * @param attempt the attempt that reported it, from 1
 * @param at      when
 */
public record TaskProgress(String stage, int percent, String message, int attempt, Instant at) {
    public TaskProgress {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(message, "message (use \"\" for none)");
        Objects.requireNonNull(at, "at");
        if (stage.isBlank()) {
            throw new IllegalArgumentException("a progress stage needs a name");
        }
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("progress percent must be 0 to 100: " + percent);
        }
    }
}
