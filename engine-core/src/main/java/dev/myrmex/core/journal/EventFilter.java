package dev.myrmex.core.journal;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which events a query or an export wants. Every part left open matches everything.
 *
 * <pre>{@code
 * EventFilter failures = EventFilter.ALL.types(EventType.AGENT_FAILED, EventType.AGENT_RESTARTED)
 *         .agent("analyzer-7").since(Instant.now().minus(Duration.ofHours(1)));
 * List<JournalEvent> newestFirst = journal.query(failures, 100);
 * }</pre>
 *
 * @param types       the types wanted; empty: all
 * @param agent       the agent's name, or null for any
 * @param task        the task's id, or null for any
 * @param minSeverity the least severity wanted
 * @param since       the earliest time wanted (inclusive), or null for any
 */
public record EventFilter(Set<EventType> types, String agent, String task, Severity minSeverity, Instant since) {
    /** Everything. */
    public static final EventFilter ALL = new EventFilter(Set.of(), null, null, Severity.DEBUG, null);

    public EventFilter {
        types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
        Objects.requireNonNull(minSeverity, "minSeverity");
    }

    public EventFilter types(EventType first, EventType... more) {
        return new EventFilter(EnumSet.of(first, more), agent, task, minSeverity, since);
    }

    public EventFilter agent(String name) {
        return new EventFilter(types, Objects.requireNonNull(name, "agent"), task, minSeverity, since);
    }

    public EventFilter task(String id) {
        return new EventFilter(types, agent, Objects.requireNonNull(id, "task"), minSeverity, since);
    }

    public EventFilter minSeverity(Severity s) {
        return new EventFilter(types, agent, task, s, since);
    }

    public EventFilter since(Instant t) {
        return new EventFilter(types, agent, task, minSeverity, Objects.requireNonNull(t, "since"));
    }

    /** Whether {@code e} passes. */
    public boolean test(JournalEvent e) {
        return (types.isEmpty() || types.contains(e.type()))
                && (agent == null || agent.equals(e.agent()))
                && (task == null || task.equals(e.task()))
                && e.severity().atLeast(minSeverity)
                && (since == null || !e.time().isBefore(since));
    }
}
