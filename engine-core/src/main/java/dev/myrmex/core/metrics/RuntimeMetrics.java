package dev.myrmex.core.metrics;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.AgentState;
import dev.myrmex.sched.SchedulerStats;
import java.time.Duration;
import java.util.Map;

/**
 * A snapshot of a runtime as a whole ({@link AgentRuntime#metrics()}). Counters count since the start; latencies are
 * percentiles since the start.
 *
 * @param uptime           time since {@link AgentRuntime#start()}
 * @param agents           agents alive
 * @param agentsByState    agents alive, by state (every state present, possibly 0)
 * @param messagesSent     messages handed to agents, each counted once: taken, waiting, or dead letters never taken
 *                         (a message an agent failed on is a dead letter too, but was taken; a send refused with an
 *                         exception is not counted: its sender knows; replies to asks go to no agent and are not
 *                         counted, late ones included)
 * @param messagesReceived messages agents have taken
 * @param deadLetters      dead letters, all reasons
 * @param restarts         agent restarts by supervisors
 * @param escalations      supervision trees whose root failed, the failure reaching the runtime
 * @param hookFailures     lifecycle hooks that threw
 * @param livenessFailures agents found stuck by their liveness check
 * @param mutes            times a non-blocking handler was muted by a full or pressured mailbox (its turn ended, and
 *                         it waited, with no carrier waiting, for the mailbox to drain)
 * @param mailboxLatency   enqueue-to-dequeue time of sampled messages (one in 32 per agent, and each agent's first)
 * @param spawnLatency     time a spawn takes (one in 16 spawns, sampled at random)
 * @param scheduler        the carrier scheduler's counters
 * @param journal          the journal writer's counters: records written, dropped, and lost to failed appends
 */
public record RuntimeMetrics(Duration uptime, int agents, Map<AgentState, Integer> agentsByState, long messagesSent,
                             long messagesReceived, long deadLetters, long restarts, long escalations,
                             long hookFailures, long livenessFailures, LatencySnapshot mailboxLatency,
                             LatencySnapshot spawnLatency, SchedulerStats scheduler, JournalMetrics journal,
                             long mutes) {
    public RuntimeMetrics {
        agentsByState = Map.copyOf(agentsByState);
    }
}
