package dev.myrmex.core.scheduling;

import java.util.Objects;

/**
 * What a {@link SchedulingPolicy} is told about an agent it schedules.
 *
 * @param name     the agent's name
 * @param priority its priority from the spawn options
 */
public record ScheduledAgent(String name, Priority priority) {
    public ScheduledAgent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(priority, "priority");
    }
}
