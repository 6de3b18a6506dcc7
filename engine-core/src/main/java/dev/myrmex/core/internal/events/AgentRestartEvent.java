package dev.myrmex.core.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A supervised agent started a new incarnation: same address, same mailbox, fresh behavior. */
@Name("dev.myrmex.AgentRestart")
@Label("Agent Restart")
@Category({"Myrmex", "Agents"})
@Description("A supervised agent was restarted by its supervisor")
@StackTrace(false)
public final class AgentRestartEvent extends jdk.jfr.Event {
    @Label("Agent")
    public String agent;

    @Label("Restarts")
    @Description("How many times this agent has been restarted, this one included")
    public int restarts;

    @Label("Cause")
    @Description("The failure that led to the restart; empty after a normal end or a sibling's failure")
    public String cause;
}
