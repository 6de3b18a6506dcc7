package dev.myrmex.core;

/**
 * A snapshot of runtime-wide counters ({@link AgentRuntime#metrics()}).
 *
 * @param agents       agents alive
 * @param restarts     agent restarts by supervisors
 * @param escalations  supervision trees whose root failed, the failure reaching the runtime
 * @param hookFailures lifecycle hooks that threw
 * @param deadLetters  dead letters, all reasons
 */
public record RuntimeMetrics(int agents, long restarts, long escalations, long hookFailures, long deadLetters) {
}
