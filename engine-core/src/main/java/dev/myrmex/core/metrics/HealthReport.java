package dev.myrmex.core.metrics;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.AgentState;
import java.util.List;

/**
 * The runtime's health ({@link AgentRuntime#health()}), from the last round of its health monitor.
 *
 * @param status   UP: running and every checked agent live and ready; DEGRADED: running, some agent stuck or not
 *                 ready; DOWN: the runtime is not running, or has a fault of its own (see {@code faults})
 * @param checked  agents with health checks
 * @param stuck    agents stuck now (liveness failed)
 * @param notReady agents whose readiness probe says no (or threw)
 * @param problems one entry per agent that is stuck or not ready
 * @param faults   faults of the runtime itself, each of which makes it DOWN: a journal append that failed (records
 *                 are lost and flushes fail from then on)
 */
public record HealthReport(Status status, int checked, int stuck, int notReady, List<AgentHealth> problems,
                           List<String> faults) {
    public HealthReport {
        problems = List.copyOf(problems);
        faults = List.copyOf(faults);
    }

    public enum Status { UP, DEGRADED, DOWN }

    /**
     * One agent's health.
     *
     * @param live   false if it is stuck
     * @param ready  false if its readiness probe says no
     * @param detail why it is not live or not ready
     */
    public record AgentHealth(String agent, AgentState state, boolean live, boolean ready, String detail) {
    }
}
