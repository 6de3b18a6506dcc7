package dev.myrmex.core.recovery;

import dev.myrmex.core.journal.Checkpoint;
import dev.myrmex.core.task.TaskId;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a runtime's start brought back from its journal ({@code AgentRuntime.recovery()}).
 *
 * @param recovered      the agents running again, each with the checkpoint it came back from
 * @param notRecovered   the agents that were running but could not be brought back, and why
 * @param recordsRead    journal records read
 * @param damagedRecords records the journal found lost to damage (see the journal's log for which and where)
 * @param took           how long recovery took
 * @param tasks          the unfinished tasks queued again, and those that could not be
 */
public record RecoveryReport(List<Recovered> recovered, List<NotRecovered> notRecovered, long recordsRead,
                             long damagedRecords, Duration took, Tasks tasks) {
    /** Nothing to recover: a new journal. */
    public static final RecoveryReport NONE = new RecoveryReport(List.of(), List.of(), 0, 0, Duration.ZERO,
            Tasks.NONE);

    public RecoveryReport {
        recovered = List.copyOf(recovered);
        notRecovered = List.copyOf(notRecovered);
        Objects.requireNonNull(took, "took");
        Objects.requireNonNull(tasks, "tasks");
    }

    /**
     * The tasks the journal said were unfinished: queued again (they run again from their first attempt, so a task
     * may run more than once: at-least-once), or ended because they could not be.
     */
    public record Tasks(List<TaskId> requeued, List<NotRequeued> notRequeued) {
        /** No unfinished tasks. */
        public static final Tasks NONE = new Tasks(List.of(), List.of());

        public Tasks {
            requeued = List.copyOf(requeued);
            notRequeued = List.copyOf(notRequeued);
        }
    }

    /** An unfinished task that was not queued again, and why (it ended FAILED or CANCELLED, saying so). */
    public record NotRequeued(TaskId task, String name, String reason) {
    }

    /** An agent running again. */
    public record Recovered(String agent, String factory, Checkpoint from) {
    }

    /** An agent that was running and is not: its last checkpoint stays in the journal for a later try. */
    public record NotRecovered(String agent, String factory, String reason) {
    }

    /** Whether every agent that was running came back and no record was damaged. */
    public boolean complete() {
        return notRecovered.isEmpty() && damagedRecords == 0 && tasks.notRequeued().isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("recovered ").append(recovered.size()).append(" agents from ")
                .append(recordsRead).append(" journal records in ").append(took.toMillis()).append(" ms");
        if (!tasks.requeued().isEmpty() || !tasks.notRequeued().isEmpty()) {
            b.append("; ").append(tasks.requeued().size()).append(" unfinished tasks queued again");
        }
        if (damagedRecords > 0) {
            b.append("; ").append(damagedRecords).append(" records lost to damage");
        }
        for (NotRecovered n : notRecovered) {
            b.append("\n  not recovered: ").append(n.agent()).append(" (factory ").append(n.factory()).append("): ")
                    .append(n.reason());
        }
        for (NotRequeued n : tasks.notRequeued()) {
            b.append("\n  task not queued again: ").append(n.task()).append(" (").append(n.name()).append("): ")
                    .append(n.reason());
        }
        return b.toString();
    }
}
