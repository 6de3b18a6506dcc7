package dev.myrmex.core.internal;

import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.Severity;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What agents, mailboxes and the runtime tell the journal, through its {@link JournalWriter}: every event at or above
 * the runtime's journal severity, except the two kinds a flood can produce by the million, dead letters and mailbox
 * overflows, which are <em>sampled</em>: at most {@link #SAMPLED_PER_SECOND} of each kind a second go to the journal,
 * and the next one that goes says how many were left out. Both are still counted exactly elsewhere (the dead-letter
 * counts, the metrics), so the journal shows what happened, and the counters how often.
 *
 * <p>Thread-safe: called from any thread; never blocks (see {@link JournalWriter}).
 */
public final class RuntimeEvents {
    /** Journalled dead letters (and, separately, overflows) per second, at most. */
    public static final int SAMPLED_PER_SECOND = 100;
    /** Events that go nowhere: for mailboxes and cells made outside a runtime (tests). */
    public static final RuntimeEvents NONE = new RuntimeEvents(Severity.CRITICAL);

    private volatile JournalWriter writer; // set while the runtime runs
    private final Severity least;
    private final Sampler deadLetters = new Sampler();
    private final Sampler overflows = new Sampler();

    /** @param least the least severity journalled; events below it cost one comparison */
    public RuntimeEvents(Severity least) {
        this.least = least;
    }

    /** From now on events go to {@code w} (null: nowhere). The runtime sets it at start and clears it at stop. */
    public void writeTo(JournalWriter w) {
        this.writer = w;
    }

    /** Journals an event of {@code type} about {@code agent} (null: the runtime). */
    public void record(EventType type, String agent, String details) {
        JournalWriter w = writer;
        if (w != null && type.severity().atLeast(least)) {
            w.event(type, agent, details);
        }
    }

    /** A dead letter: journalled if this second's sample has room. */
    public void deadLetter(String agent, String details) {
        sampled(deadLetters, EventType.DEAD_LETTER, agent, details);
    }

    /** A mailbox overflowed: journalled if this second's sample has room. */
    public void overflow(String agent, String details) {
        sampled(overflows, EventType.MAILBOX_OVERFLOW, agent, details);
    }

    private void sampled(Sampler sampler, EventType type, String agent, String details) {
        JournalWriter w = writer;
        if (w == null || !type.severity().atLeast(least)) {
            return;
        }
        long skipped = sampler.admit(System.currentTimeMillis() / 1000);
        if (skipped >= 0) {
            w.event(type, agent, skipped == 0 ? details
                    : details + " (" + skipped + " more not journalled before this one; all are counted)");
        }
    }

    /**
     * At most {@link #SAMPLED_PER_SECOND} a wall-clock second. Racy at the turn of a second (two threads may both
     * reset it), which can let a few more through: a bound for the journal's sake, not an exact quota.
     */
    static final class Sampler {
        private volatile long second = Long.MIN_VALUE;
        private final AtomicInteger taken = new AtomicInteger();
        private final AtomicLong skipped = new AtomicLong();

        /** -1 if this one is left out; otherwise how many were left out since the last one let through. */
        long admit(long nowSecond) {
            if (nowSecond != second) {
                second = nowSecond;
                taken.set(0);
            }
            if (taken.incrementAndGet() > SAMPLED_PER_SECOND) {
                skipped.incrementAndGet();
                return -1;
            }
            return skipped.getAndSet(0);
        }
    }
}
