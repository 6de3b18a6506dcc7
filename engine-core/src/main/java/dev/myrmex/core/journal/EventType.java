package dev.myrmex.core.journal;

/** What happened. Each type has the severity the runtime records it with. */
public enum EventType {
    RUNTIME_STARTED(Severity.INFO),
    RUNTIME_STOPPED(Severity.INFO),
    AGENT_SPAWNED(Severity.INFO),
    AGENT_STARTED(Severity.DEBUG),
    AGENT_PAUSED(Severity.INFO),
    AGENT_RESUMED(Severity.INFO),
    AGENT_STOPPED(Severity.INFO),
    AGENT_FAILED(Severity.ERROR),
    AGENT_RESTARTED(Severity.WARNING),
    MAILBOX_OVERFLOW(Severity.WARNING),
    DEAD_LETTER(Severity.WARNING),
    CHECKPOINT_WRITTEN(Severity.DEBUG),
    /** The journal writer could not keep up and events were dropped: how many is in the details. */
    EVENTS_DROPPED(Severity.CRITICAL);

    private final Severity severity;

    EventType(Severity severity) {
        this.severity = severity;
    }

    /** The severity the runtime records events of this type with. */
    public Severity severity() {
        return severity;
    }
}
