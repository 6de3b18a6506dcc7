package dev.myrmex.core;

/**
 * A snapshot of one agent's counters.
 *
 * @param state        its lifecycle state now
 * @param received     messages its behaviour has taken
 * @param mailboxDepth messages waiting in its mailbox now
 * @param deadLettered messages that became dead letters when it stopped
 * @param restarts     times its supervisor has restarted it
 */
public record AgentMetrics(AgentState state, long received, int mailboxDepth, long deadLettered, int restarts) {
}
