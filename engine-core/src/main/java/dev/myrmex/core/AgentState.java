package dev.myrmex.core;

/** An agent's lifecycle: CREATED, then RUNNING and PAUSED back and forth, then STOPPING, then STOPPED or FAILED. */
public enum AgentState {
    CREATED, RUNNING, PAUSED, STOPPING, STOPPED, FAILED;

    /** True once the agent has ended for good. */
    public boolean isTerminal() {
        return this == STOPPED || this == FAILED;
    }
}
