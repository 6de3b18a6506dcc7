package dev.myrmex.core.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** An agent ended: stopped, or failed. */
@Name("dev.myrmex.AgentEnd")
@Label("Agent End")
@Category({"Myrmex", "Agents"})
@Description("An agent ended: STOPPED or FAILED, with its counters")
@StackTrace(false)
public final class AgentEndEvent extends jdk.jfr.Event {
    @Label("Agent")
    public String agent;

    @Label("State")
    public String state;

    @Label("Messages Received")
    public long received;

    @Label("Dead Letters At Stop")
    public long deadLettered;

    @Label("Failure")
    @Description("The behavior's exception, if it failed")
    public String failure;
}
