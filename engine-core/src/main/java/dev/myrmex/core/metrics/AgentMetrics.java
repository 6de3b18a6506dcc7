package dev.myrmex.core.metrics;

import dev.myrmex.core.AgentState;

/**
 * A snapshot of one agent's counters and averages. The averages come from sampled messages (one in 32, and the
 * first): exponential moving averages that follow the recent behavior of a busy agent.
 *
 * @param state              its lifecycle state now
 * @param received           messages its behavior has taken
 * @param mailboxDepth       messages waiting in its mailbox now
 * @param deadLettered       messages that became dead letters when it stopped
 * @param restarts           times its supervisor has restarted it
 * @param processingNanosEma the time a message takes to process, moving average, in nanoseconds (0: none timed yet)
 * @param messagesPerSecond  the rate it takes messages at, moving average; it falls towards 0 once the agent idles
 * @param utilization        the share of wall-clock time it spends processing messages, 0 to 1: message rate times
 *                           processing time, the utilization (rho) of queueing theory. Near 1, messages arrive as fast
 *                           as it handles them and its mailbox is the bottleneck. It is busy time, not CPU time: time
 *                           blocked inside a message (I/O, a lock, an {@code ask}) counts. The JDK measures no CPU time
 *                           per virtual thread ({@code ThreadMXBean} answers -1 for one, JDK 25), and a carrier's CPU
 *                           clock costs a system call (about 400 ns measured here, against 50 ns for
 *                           {@code System.nanoTime}) and cannot tell which virtual thread it carried; see
 *                           docs/architecture.md, Metrics
 */
public record AgentMetrics(AgentState state, long received, int mailboxDepth, long deadLettered, int restarts,
                           double processingNanosEma, double messagesPerSecond, double utilization) {
}
