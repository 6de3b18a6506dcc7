package dev.myrmex.core;

import dev.myrmex.core.metrics.RuntimeMetrics;

/**
 * Code the runtime calls at an agent's lifecycle points; override the ones you need. A hook runs on the agent's own
 * thread (or carrier) around its behavior, so keep it short and do not block in a non-blocking agent's hooks.
 *
 * <pre>{@code
 * LifecycleHooks hooks = new LifecycleHooks() {
 *     public void onError(AgentHandle<?> agent, Throwable cause) { log.warn("{} failed", agent.name(), cause); }
 *     public void onRestart(AgentHandle<?> agent, int restarts, Throwable cause) { metrics.restarted(agent); }
 * };
 * rt.spawn("worker", behavior, SpawnOptions.DEFAULTS.withHooks(hooks));
 * }</pre>
 *
 * An exception thrown by a hook is logged and counted ({@link RuntimeMetrics#hookFailures()}); it never fails the
 * agent, another agent or the runtime.
 */
public interface LifecycleHooks {
    /** No hooks. */
    LifecycleHooks NONE = new LifecycleHooks() {
    };

    /** The agent is about to run its behavior for the first time. */
    default void onStart(AgentHandle<?> agent) {
    }

    /** The agent has ended for good; {@code cause} is why it FAILED, or null when it STOPPED. */
    default void onStop(AgentHandle<?> agent, Throwable cause) {
    }

    /** The agent's behavior threw {@code cause} (before any restart decision). */
    default void onError(AgentHandle<?> agent, Throwable cause) {
    }

    /**
     * The agent is about to run its behavior again, for the {@code restarts}-th time; {@code cause} is the failure
     * that led to it, or null after a normal end (policy ALWAYS) or a sibling's failure.
     */
    default void onRestart(AgentHandle<?> agent, int restarts, Throwable cause) {
    }
}
