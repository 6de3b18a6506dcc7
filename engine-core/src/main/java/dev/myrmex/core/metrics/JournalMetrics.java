package dev.myrmex.core.metrics;

import dev.myrmex.core.AgentRuntime;

/**
 * The runtime's path to its journal ({@link RuntimeMetrics#journal()}), counted since the start.
 *
 * @param written       records the journal accepted (its append returned)
 * @param dropped       events dropped because the ring to the journal writer was full (the journal says how many)
 * @param failedAppends appends that threw: a full disk, an unwritable file, a damaged journal. Any makes
 *                      {@link AgentRuntime#flushJournal} throw and {@link AgentRuntime#health()} DOWN
 * @param lostRecords   records in those appends: published, and not in the journal
 */
public record JournalMetrics(long written, long dropped, long failedAppends, long lostRecords) {
    /** A runtime that has not started: nothing written yet. */
    public static final JournalMetrics NONE = new JournalMetrics(0, 0, 0, 0);
}
