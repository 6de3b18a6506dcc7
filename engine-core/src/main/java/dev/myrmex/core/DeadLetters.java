package dev.myrmex.core;

import dev.myrmex.core.internal.events.DeadLetterEvent;
import dev.myrmex.sched.SpinLock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where undelivered messages go: every one is counted by reason, the most recent ones are kept for inspection, and
 * subscribers see each one as it happens. Its sender is told too: a request sent by {@link AgentRef#ask} that becomes
 * a dead letter fails its ask at once with an {@link AskFailedException} (before the subscribers see the letter).
 *
 * <h2>Contract</h2>
 * Thread-safe; {@link #publish} is called by senders and agents on their own threads and never blocks. Counting is
 * exact. Subscribers run on the publishing thread: keep them short; one that throws is logged and skipped. The recent
 * list is a bounded window (oldest dropped first), so a flood costs a fixed amount of memory.
 */
public final class DeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final Map<DeadLetter.Reason, LongAdder> counts = new EnumMap<>(DeadLetter.Reason.class);
    private final List<Consumer<? super DeadLetter>> subscribers = new CopyOnWriteArrayList<>();
    private final DeadLetter[] recent;
    private long published; // guarded by recentLock
    /** Dead letters come from carriers and virtual threads alike: never a parking lock (see SpinLock). */
    private final SpinLock recentLock = new SpinLock();

    public DeadLetters(int keepRecent) {
        if (keepRecent < 0) {
            throw new IllegalArgumentException("keepRecent must not be negative: " + keepRecent);
        }
        for (DeadLetter.Reason r : DeadLetter.Reason.values()) {
            counts.put(r, new LongAdder());
        }
        this.recent = new DeadLetter[keepRecent];
    }

    /** Records a dead letter: counts it, keeps it among the recent ones, tells its sender, then the subscribers. */
    public void publish(DeadLetter letter) {
        Objects.requireNonNull(letter, "letter");
        counts.get(letter.reason()).increment();
        DeadLetterEvent event = new DeadLetterEvent();
        if (event.isEnabled()) {
            event.recipient = String.valueOf(letter.recipient());
            event.reason = letter.reason().name();
            event.payloadType = letter.message().payload().getClass();
            event.commit();
        }
        if (recent.length > 0) {
            recentLock.lock();
            try {
                recent[(int) (published++ % recent.length)] = letter;
            } finally {
                recentLock.unlock();
            }
        }
        if (letter.message().sender() instanceof AgentRef<?> from) {
            // an ask whose request this is fails now, not at its timeout
            from.endpoint().bounced(letter.reason(), letter.cause());
        }
        for (Consumer<? super DeadLetter> s : subscribers) {
            try {
                s.accept(letter);
            } catch (VirtualMachineError fatal) {
                throw fatal; // out of memory or stack: nothing is safe to do
            } catch (Throwable e) { // an Error too: the letter still goes to the others, its agent still ends
                LOG.error("a dead-letter subscriber threw; skipped", e);
            }
        }
    }

    /** Dead letters so far, all reasons. */
    public long count() {
        long n = 0;
        for (LongAdder a : counts.values()) {
            n += a.sum();
        }
        return n;
    }

    /**
     * The count so far and, for each reason that has any, its own:
     * {@code DeadLetters[3: RECIPIENT_STOPPED=2, LATE_REPLY=1]}.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("DeadLetters[").append(count());
        String sep = ": ";
        for (Map.Entry<DeadLetter.Reason, LongAdder> e : counts.entrySet()) {
            long n = e.getValue().sum();
            if (n > 0) {
                b.append(sep).append(e.getKey()).append('=').append(n);
                sep = ", ";
            }
        }
        return b.append(']').toString();
    }

    /** Dead letters so far for {@code reason}. */
    public long count(DeadLetter.Reason reason) {
        return counts.get(reason).sum();
    }

    /** The most recent dead letters, oldest first (at most the window given at creation). */
    public List<DeadLetter> recent() {
        recentLock.lock();
        try {
            int n = (int) Math.min(published, recent.length);
            List<DeadLetter> out = new ArrayList<>(n);
            for (long i = published - n; i < published; i++) {
                out.add(recent[(int) (i % recent.length)]);
            }
            return out;
        } finally {
            recentLock.unlock();
        }
    }

    /** Calls {@code subscriber} with every dead letter from now on, on the publishing thread, until closed. */
    public Subscription subscribe(Consumer<? super DeadLetter> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /** Ends a subscription; closing twice is harmless. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
