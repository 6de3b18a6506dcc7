package dev.myrmex.core.recovery;

import dev.myrmex.core.journal.Checkpoint;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a runtime's start brought back from its journal ({@code AgentRuntime.recovery()}).
 *
 * @param recovered      the agents running again, each with the checkpoint it came back from
 * @param notRecovered   the agents that were running but could not be brought back, and why
 * @param recordsRead    journal records read
 * @param damagedRecords records the journal found damaged and skipped (see the journal's log for where)
 * @param took           how long recovery took
 */
public record RecoveryReport(List<Recovered> recovered, List<NotRecovered> notRecovered, long recordsRead,
                             long damagedRecords, Duration took) {
    /** Nothing to recover: a new journal. */
    public static final RecoveryReport NONE = new RecoveryReport(List.of(), List.of(), 0, 0, Duration.ZERO);

    public RecoveryReport {
        recovered = List.copyOf(recovered);
        notRecovered = List.copyOf(notRecovered);
        Objects.requireNonNull(took, "took");
    }

    /** An agent running again. */
    public record Recovered(String agent, String factory, Checkpoint from) {
    }

    /** An agent that was running and is not: its last checkpoint stays in the journal for a later try. */
    public record NotRecovered(String agent, String factory, String reason) {
    }

    /** Whether every agent that was running came back and no record was damaged. */
    public boolean complete() {
        return notRecovered.isEmpty() && damagedRecords == 0;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("recovered ").append(recovered.size()).append(" agents from ")
                .append(recordsRead).append(" journal records in ").append(took.toMillis()).append(" ms");
        if (damagedRecords > 0) {
            b.append("; ").append(damagedRecords).append(" damaged records skipped");
        }
        for (NotRecovered n : notRecovered) {
            b.append("\n  not recovered: ").append(n.agent()).append(" (factory ").append(n.factory()).append("): ")
                    .append(n.reason());
        }
        return b.toString();
    }
}
