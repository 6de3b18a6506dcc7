package dev.myrmex.core;

/**
 * A snapshot of one agent's counters and averages. The averages come from sampled messages (one in 32, and the
 * first): exponential moving averages that follow the recent behaviour of a busy agent.
 *
 * @param state              its lifecycle state now
 * @param received           messages its behaviour has taken
 * @param mailboxDepth       messages waiting in its mailbox now
 * @param deadLettered       messages that became dead letters when it stopped
 * @param restarts           times its supervisor has restarted it
 * @param processingNanosEma the time a message takes to process, moving average, in nanoseconds (0: none timed yet)
 * @param messagesPerSecond  the rate it takes messages at, moving average; it falls towards 0 once the agent idles
 * @param cpuIntensity       the share of one core its processing takes, 0 to 1 (processing time times rate); time
 *                           spent blocked inside a handler counts, so for blocking agents read it as busy-ness
 */
public record AgentMetrics(AgentState state, long received, int mailboxDepth, long deadLettered, int restarts,
                           double processingNanosEma, double messagesPerSecond, double cpuIntensity) {
}
