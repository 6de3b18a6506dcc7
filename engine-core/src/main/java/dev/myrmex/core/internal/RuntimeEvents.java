package dev.myrmex.core.internal;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.Tag;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.Severity;
import dev.myrmex.core.journal.TaskSubmission;
import dev.myrmex.core.mailbox.MailboxSettings;
import dev.myrmex.core.time.RuntimeClock;
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
    public static final RuntimeEvents NONE = new RuntimeEvents(Severity.CRITICAL, RuntimeClock.system());

    private volatile JournalWriter writer; // set while the runtime runs
    private final Severity least;
    private final RuntimeClock clock;
    private final Sampler deadLetters = new Sampler();
    private final Sampler overflows = new Sampler();

    /**
     * @param least the least severity journalled; events below it cost one comparison
     * @param clock the runtime's clock: it dates the events and paces the sampling
     */
    public RuntimeEvents(Severity least, RuntimeClock clock) {
        this.least = least;
        this.clock = clock;
    }

    /** The runtime's clock. */
    public RuntimeClock clock() {
        return clock;
    }

    /** From now on events go to {@code w} (null: nowhere). The runtime sets it at start and clears it at stop. */
    public void writeTo(JournalWriter w) {
        this.writer = w;
    }

    /** Whether an event of {@code type} would go to the journal now: to skip making its details when it would not. */
    public boolean enabled(EventType type) {
        return writer != null && type.severity().atLeast(least);
    }

    /** Journals an event of {@code type} about {@code agent} (null: the runtime). */
    public void record(EventType type, String agent, String details) {
        JournalWriter w = writer;
        if (w != null && type.severity().atLeast(least)) {
            w.event(type, agent, details);
        }
    }

    /** Journals an event of {@code type} about task {@code task} (its id), run by {@code agent} (or null). */
    public void task(EventType type, String agent, String task, String details) {
        JournalWriter w = writer;
        if (w != null && type.severity().atLeast(least)) {
            w.publish(new JournalEvent(clock.instant(), type, type.severity(), agent, task, details));
        }
    }

    /** {@link #task}, whatever the journal's severity: for what task recovery must be able to read. */
    public void taskAlways(EventType type, String agent, String task, String details) {
        JournalWriter w = writer;
        if (w != null) {
            w.publishReliably(new JournalEvent(clock.instant(), type, type.severity(), agent, task, details));
        }
    }

    /** Journals a task's submission whatever the journal's severity: task recovery reads it. */
    public void taskSubmitted(TaskSubmission s) {
        JournalWriter w = writer;
        if (w != null) {
            w.publishReliably(s);
        }
    }

    /** Journals an event of {@code type} whatever the journal's severity: for what recovery must be able to read. */
    public void recordAlways(EventType type, String agent, String details) {
        JournalWriter w = writer;
        if (w != null) {
            w.publishReliably(JournalEvent.of(clock.instant(), type, agent, details));
        }
    }

    /** A dead letter: journalled if this second's sample has room. */
    public void deadLetter(DeadLetter letter) {
        JournalWriter w = admitted(deadLetters, EventType.DEAD_LETTER);
        if (w != null) { // the text is made only for the letters that go to the journal
            sampled(w, deadLetters, EventType.DEAD_LETTER, letter.recipient(), letter.reason() + ": "
                    + letter.message().payload().getClass().getSimpleName()
                    + (letter.cause() == null ? "" : " (" + letter.cause() + ")"));
        }
    }

    /** {@code owner}'s mailbox overflowed: journalled if this second's sample has room. */
    public void overflow(Tag owner, MailboxSettings settings, String outcome) {
        JournalWriter w = admitted(overflows, EventType.MAILBOX_OVERFLOW);
        if (w != null) {
            sampled(w, overflows, EventType.MAILBOX_OVERFLOW, owner,
                    "capacity " + settings.capacity() + ", policy " + settings.overflow() + ": " + outcome);
        }
    }

    /** The writer, if an event of {@code type} goes to the journal now: one is open and the sample has room. */
    private JournalWriter admitted(Sampler sampler, EventType type) {
        JournalWriter w = writer;
        if (w == null || !type.severity().atLeast(least)) {
            return null;
        }
        return sampler.admit(clock.millis() / 1000) ? w : null;
    }

    private static void sampled(JournalWriter w, Sampler sampler, EventType type, Tag about, String details) {
        String agent = about instanceof AgentRef<?> r ? r.name() : String.valueOf(about);
        long skipped = sampler.takeSkipped();
        w.event(type, agent, skipped == 0 ? details
                : details + " (" + skipped + " more not journalled before this one; all are counted)");
    }

    /**
     * At most {@link #SAMPLED_PER_SECOND} a wall-clock second. Racy at the turn of a second (two threads may both
     * reset it), which can let a few more through: a bound for the journal's sake, not an exact quota.
     */
    static final class Sampler {
        private volatile long second = Long.MIN_VALUE;
        private final AtomicInteger taken = new AtomicInteger();
        private final AtomicLong skipped = new AtomicLong();

        /** Whether this one goes to the journal; one left out is counted for the next that goes. */
        boolean admit(long nowSecond) {
            if (nowSecond != second) {
                second = nowSecond;
                taken.set(0);
            }
            if (taken.incrementAndGet() > SAMPLED_PER_SECOND) {
                skipped.incrementAndGet();
                return false;
            }
            return true;
        }

        /** How many were left out since the last call: the one let through says so. */
        long takeSkipped() {
            return skipped.getAndSet(0);
        }
    }
}
