package dev.myrmex.core.internal;

import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fencing tokens of a runtime's leases: one sequence per journal, for every resource, strictly increasing for as
 * long as the journal keeps its records, across the runtimes that open it one after another, crashes included.
 *
 * <h2>How no token is handed out twice</h2>
 * Tokens are reserved in blocks, the way sequence allocators do it (a database sequence's cache, Hibernate's pooled
 * optimizer):
 * <ol>
 *   <li>A token is taken ({@link #tryNext}) only if it is at or below {@code reserved}, a mark the journal has
 *       acknowledged.</li>
 *   <li>When none is left, a thread {@link #reserve}s: it takes a new mark {@link #block} above the last one asked
 *       for, publishes a {@link EventType#LEASE_TOKENS_RESERVED} event holding it, waits for the journal writer's
 *       {@link JournalWriter#flush} (the record is in the journal, as durable as the journal's mode: a
 *       {@code ChronicleJournal} survives the process's death at once, and power loss with {@code POWER_LOSS}), and
 *       only then raises {@code reserved} to its mark.</li>
 *   <li>A runtime starting on the journal reads the highest mark in it ({@link #markOf}, during the one read of the
 *       journal at start) and continues above it ({@link #start}).</li>
 * </ol>
 * So every token handed out is at or below a mark that is in the journal before the token leaves this class: a crash
 * at any moment, also right after a grant, loses at most the unused rest of a block and never hands out a token
 * again. The cost: one journal round trip per block (the first grant after each start waits for one, about a
 * millisecond with an idle writer), and up to a block of numbers skipped at each restart (of 2^63).
 *
 * <p>What it cannot survive: a journal that forgets its newest reservation. An {@code InMemoryJournal} keeps its newest
 * {@code capacity} records (the mark lives while its last reservation is among them, or only as long as the process);
 * a repair that moves a damaged file aside can take one with it. Two runtimes must not write one journal at the same
 * time (a {@code ChronicleJournal} refuses a second writer): each would continue from the same mark.
 *
 * <h2>Concurrency</h2>
 * <ul>
 *   <li>{@link #tryNext}: any thread, also under a spin lock: never blocks (a CAS on {@code issued}, below the
 *       volatile {@code reserved}); 0 when the reserved tokens are used up, or the runtime is not running.</li>
 *   <li>{@link #reserve}: any thread holding no lock that others spin or wait on, since it parks until the journal
 *       writer has written the mark. Reservers never wait for each other: each takes its own mark from
 *       {@code asked} and journals it, and raises {@code reserved} to it (a max) only once its own flush returned.
 *       Any mark at or below {@code reserved} is in the journal, whichever reserver wrote it, because each raise
 *       follows its own flush.</li>
 *   <li>{@link #start}: once, by the runtime's start, before it hands out anything; the volatile write of
 *       {@code writer} publishes the other fields.</li>
 * </ul>
 * Re-check after a change: that no path raises {@code reserved} before its flush returned true, and that the mark read
 * at start is the maximum of every mark in the journal.
 */
public final class FencingTokens {
    /**
     * Tokens per reservation. A reservation costs one journal flush (a batch of the writer's, about a millisecond when
     * it is idle and parks 1 ms at a time) and a restart skips at most this many numbers: 1,024 makes the flush
     * negligible next to the grants it covers (each journals a {@code LEASE_ACQUIRED} event anyway) and the skipped
     * numbers irrelevant (2^63 of them).
     */
    public static final int BLOCK = 1024;
    /**
     * How long a reservation waits for the journal before no lease is granted: a writer that has not written one
     * record in this long is stalled (a disk that hangs), and a grant cannot wait for ever.
     */
    static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);
    private static final String DETAILS_PREFIX = "up to ";

    private final int block;
    private final AtomicLong issued = new AtomicLong(); // the last token handed out
    private final AtomicLong asked = new AtomicLong(); // the highest mark a reserver took
    private final AtomicLong reserved = new AtomicLong(); // the highest mark the journal has acknowledged
    private volatile JournalWriter writer; // set by start

    /** A sequence reserving {@link #BLOCK} tokens at a time. */
    public FencingTokens() {
        this(BLOCK);
    }

    /** A sequence reserving {@code block} tokens at a time (tests shrink it, so that reservations race). */
    public FencingTokens(int block) {
        if (block < 1) {
            throw new IllegalArgumentException("a reservation needs at least one token: " + block);
        }
        this.block = block;
    }

    /**
     * Hands out tokens above {@code mark} (the highest in the journal: {@link #markOf}), reserving them through
     * {@code w}.
     *
     * @throws IllegalStateException if it was started before
     */
    public void start(long mark, JournalWriter w) {
        if (mark < 0) {
            throw new IllegalArgumentException("a token mark cannot be negative: " + mark);
        }
        if (writer != null) {
            throw new IllegalStateException("the fencing tokens are started already");
        }
        issued.set(mark);
        asked.set(mark);
        reserved.set(mark);
        writer = w;
    }

    /** The next token, strictly above every one handed out before; 0 if none is reserved: {@link #reserve}, retry. */
    public long tryNext() {
        JournalWriter w = writer;
        if (w == null || w.isClosed()) {
            return 0;
        }
        while (true) {
            long last = issued.get();
            if (last >= reserved.get()) {
                return 0;
            }
            if (issued.compareAndSet(last, last + 1)) {
                return last + 1;
            }
        }
    }

    /**
     * Makes at least one more token available to {@link #tryNext}, unless another reserver has meanwhile: journals a
     * new mark and waits until the journal has it. Call holding no lock (it parks).
     *
     * @throws IllegalStateException if the runtime is not running (not started, or stopped)
     * @throws JournalException      if the journal has failed, or did not take the mark within 30 s
     */
    public void reserve() {
        JournalWriter w = writer;
        if (w == null) {
            throw new IllegalStateException("no lease is granted before its runtime starts: fencing tokens are "
                    + "reserved in the runtime's journal");
        }
        if (w.isClosed()) { // before the check below: tryNext hands out nothing once closed, reserved or not
            throw stopped();
        }
        if (issued.get() < reserved.get()) {
            return; // another reserver made room
        }
        long mark = asked.addAndGet(block);
        if (!w.publishReliably(JournalEvent.of(w.now(), EventType.LEASE_TOKENS_RESERVED, null,
                DETAILS_PREFIX + mark)) || !w.flush(FLUSH_TIMEOUT)) { // flush throws if the journal has failed
            if (w.isClosed()) {
                throw stopped();
            }
            throw new JournalException("the journal did not acknowledge the reservation of lease tokens up to "
                    + mark + " within " + FLUSH_TIMEOUT + ", so no lease is granted", null);
        }
        reserved.accumulateAndGet(mark, Math::max); // only now: the mark is in the journal
    }

    private static IllegalStateException stopped() {
        return new IllegalStateException("no lease is granted after its runtime stopped: fencing tokens are reserved "
                + "in the runtime's journal, which it has closed");
    }

    /** The last token handed out (0: none since the journal began). */
    public long last() {
        return issued.get();
    }

    /**
     * The mark a {@link EventType#LEASE_TOKENS_RESERVED} event holds.
     *
     * @throws JournalException if its details are not {@code up to <mark>}: a runtime must not continue a sequence it
     *                          cannot read
     */
    public static long markOf(JournalEvent e) {
        String d = e.details();
        if (e.type() == EventType.LEASE_TOKENS_RESERVED && d.startsWith(DETAILS_PREFIX)) {
            try {
                long mark = Long.parseLong(d, DETAILS_PREFIX.length(), d.length(), 10);
                if (mark >= 0) {
                    return mark;
                }
            } catch (NumberFormatException unreadable) {
                // reported below
            }
        }
        throw new JournalException("the journal holds a " + e.type() + " event of " + e.time() + " whose details, '"
                + d + "', are not '" + DETAILS_PREFIX + "<mark>': the lease tokens it reserved are unknown, so no "
                + "runtime can continue its fencing tokens safely", null);
    }
}
