package dev.myrmex.core.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** An agent was spawned; the event's duration is the spawn's. */
@Name("dev.myrmex.AgentSpawn")
@Label("Agent Spawn")
@Category({"Myrmex", "Agents"})
@Description("An agent was spawned; the duration is what the spawn cost its caller")
@StackTrace(false)
public final class AgentSpawnEvent extends jdk.jfr.Event {
    @Label("Agent")
    public String agent;

    @Label("Agent Id")
    public long agentId;

    @Label("Style")
    @Description("DIRECT (a virtual thread), HANDLER (turns on the carriers) or HANDLER_VT (a virtual thread per turn)")
    public String style;
}
