package dev.myrmex.core;

import dev.myrmex.core.supervision.Supervisor;

/**
 * An agent's lifecycle: CREATED, then RUNNING and PAUSED back and forth, then STOPPING, then STOPPED or FAILED. A
 * supervised agent may pass through RESTARTING (its behavior wound down, its mailbox open and filling) on its way
 * back to RUNNING. A {@link Supervisor} uses the same states for itself.
 */
public enum AgentState {
    CREATED, RUNNING, PAUSED, RESTARTING, STOPPING, STOPPED, FAILED;

    /** True once the agent has ended for good. */
    public boolean isTerminal() {
        return this == STOPPED || this == FAILED;
    }

    /** True once the agent is stopping or has ended: its behavior will not run again. */
    public boolean isEnding() {
        return this == STOPPING || isTerminal();
    }
}
