package dev.myrmex.core.scheduling;

/** Scheduling priority of an agent; the priority scheduling policy uses it, with aging so that LOW still runs. */
public enum Priority {
    LOW, NORMAL, HIGH, CRITICAL
}
