package dev.myrmex.core.journal;

import java.time.Duration;
import java.util.Objects;

/**
 * How a runtime records its events in its journal: given to {@code AgentRuntime.Builder.journalSettings}, beside the
 * journal itself ({@code Builder.journal}).
 *
 * <pre>{@code
 * AgentRuntime rt = AgentRuntime.builder().journal(journal)
 *         .journalSettings(JournalSettings.DEFAULTS.withSeverity(Severity.DEBUG))   // every agent's life too
 *         .build();
 * }</pre>
 *
 * @param ringSize   slots of the ring between the threads that record events and the journal writer, a power of two;
 *                   when it is full, events are dropped and counted, never waited for, and the journal says how many
 * @param writerSpin how long the journal writer spins for the next event after writing a batch, before it backs off
 *                   (yields, then parks a millisecond at a time); between 0 and 1 s. At zero, events reach the journal
 *                   within about a microsecond while they come steadily and within a millisecond after a quiet spell,
 *                   at no CPU cost when idle. A spin of some tens of microseconds halves the first figure, for up to
 *                   that much CPU time after every batch: worth it for a live tail of a busy runtime, not on a machine
 *                   with few cores to spare
 * @param severity   the least severity journalled: at INFO, AGENT_STARTED and CHECKPOINT_WRITTEN (DEBUG) are left out
 */
public record JournalSettings(int ringSize, Duration writerSpin, Severity severity) {
    /** A ring of 16,384 slots, no spin, INFO and above. */
    public static final JournalSettings DEFAULTS = new JournalSettings(16_384, Duration.ZERO, Severity.INFO);

    /** @throws IllegalArgumentException naming the value that is out of range */
    public JournalSettings {
        if (ringSize < 1 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("journalRingSize must be a power of two: " + ringSize);
        }
        Objects.requireNonNull(writerSpin, "spin");
        if (writerSpin.isNegative() || writerSpin.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("journalWriterSpin must be between 0 and 1 s: " + writerSpin);
        }
        Objects.requireNonNull(severity, "severity");
    }

    public JournalSettings withRingSize(int slots) {
        return new JournalSettings(slots, writerSpin, severity);
    }

    public JournalSettings withWriterSpin(Duration spin) {
        return new JournalSettings(ringSize, spin, severity);
    }

    public JournalSettings withSeverity(Severity least) {
        return new JournalSettings(ringSize, writerSpin, least);
    }
}
