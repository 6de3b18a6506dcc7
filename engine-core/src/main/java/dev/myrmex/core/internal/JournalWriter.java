package dev.myrmex.core.internal;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import dev.myrmex.core.journal.EventJournal;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalException;
import dev.myrmex.core.journal.JournalRecord;
import dev.myrmex.core.time.RuntimeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's path to its {@link EventJournal}: an LMAX Disruptor ring between the threads that record events and
 * the one thread that writes them.
 *
 * <h2>Concurrency</h2>
 * <ul>
 *   <li>Producers: any thread ({@link #publish}): a claim on the multi-producer ring, never a wait. Records from one
 *       thread keep their order; records from different threads are ordered by their claims.</li>
 *   <li>Consumer: the writer thread, which gathers what the ring holds (up to {@link #MAX_BATCH}) and appends it in one
 *       {@link EventJournal#append} call, so the journal sees one appender thread, in ring order.</li>
 *   <li>A full ring is not waited for (agents never wait on disk, nor on a slow journal): the record is dropped and
 *       counted ({@link #dropped()}), and the writer puts an {@link EventType#EVENTS_DROPPED} event with the number
 *       into the journal ahead of the next batch it writes. So a gap is never silent.</li>
 * </ul>
 *
 * <h2>Acknowledgements</h2>
 * A {@link #flush} that returns true promises that every record published before it is in the journal, as durable
 * as the journal's mode. An append that throws (a full disk, a read-only file, a damaged journal) breaks that promise
 * for good: its records are lost. From then on every {@link #flush} throws a {@link JournalException} naming the first
 * failure and counting the rest, {@link #failure()} says so (the runtime's health is DOWN), and the writer goes on
 * offering later batches to the journal, which may refuse them too. The order that makes this safe: the writer
 * publishes {@code firstFailure} (a volatile write) before it advances {@code processed}, so a flusher that sees its
 * target processed also sees any failure of the batches before it.
 */
public final class JournalWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
    /** Records appended in one call at most. */
    static final int MAX_BATCH = 1024;
    private static final EventTranslatorOneArg<Slot, JournalRecord> FILL = (slot, seq, record) -> slot.record = record;

    /** A ring slot: the record in transit; the writer clears it once taken. */
    private static final class Slot {
        JournalRecord record;
    }

    private final EventJournal journal;
    private final RuntimeClock clock;
    private final Disruptor<Slot> disruptor;
    private final RingBuffer<Slot> ring;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder failedAppends = new LongAdder();
    private volatile long lost; // records in appends that threw; the writer thread alone writes it
    private volatile JournalException firstFailure; // the first append that threw; written once, by the writer thread
    private volatile long written; // records the journal accepted; the writer thread alone writes it
    private volatile long processed; // ring sequence + 1 of the last slot the writer has dealt with
    private volatile boolean closing; // set by close: a reliable publisher stops waiting for room

    /** A writer that does not spin and dates events by the machine's clock. */
    public JournalWriter(EventJournal journal, int ringSize) {
        this(journal, ringSize, Duration.ZERO, RuntimeClock.system());
    }

    /**
     * A writer that dates events by the machine's clock: {@link #JournalWriter(EventJournal, int, Duration,
     * RuntimeClock)}.
     */
    public JournalWriter(EventJournal journal, int ringSize, Duration spin) {
        this(journal, ringSize, spin, RuntimeClock.system());
    }

    /**
     * @param ringSize slots in the ring, a power of two: how many records may wait for the writer before new ones
     *                 are dropped
     * @param spin     how long the writer spins, after each batch, for the next record before it backs off (yields,
     *                 then parks a millisecond at a time; publishers never signal it). Spinning takes an event to the
     *                 journal in about half the time when events come steadily, and costs up to that much CPU
     *                 time after each batch. Zero: no spin.
     * @param clock    the runtime's clock: what {@link #now} reads, to date the events written here
     */
    public JournalWriter(EventJournal journal, int ringSize, Duration spin, RuntimeClock clock) {
        if (ringSize < 1 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("journal ring size must be a power of two: " + ringSize);
        }
        if (spin.isNegative()) {
            throw new IllegalArgumentException("the journal writer's spin cannot be negative: " + spin);
        }
        this.journal = journal;
        this.clock = clock;
        WaitStrategy backOff = new SleepingWaitStrategy(200, TimeUnit.MILLISECONDS.toNanos(1));
        WaitStrategy idle = spin.isZero() ? backOff
                : new PhasedBackoffWaitStrategy(spin.toNanos(), 0, TimeUnit.NANOSECONDS, backOff);
        this.disruptor = new Disruptor<>(Slot::new, ringSize,
                r -> Thread.ofPlatform().name("myrmex-journal").daemon(true).unstarted(r), ProducerType.MULTI, idle);
        disruptor.handleEventsWith(new Writer());
        disruptor.setDefaultExceptionHandler(new Unexpected());
        this.ring = disruptor.start();
    }

    /** Hands {@code record} to the writer; false if the ring was full and it was dropped (and counted). */
    public boolean publish(JournalRecord record) {
        if (ring.tryPublishEvent(FILL, record)) {
            return true;
        }
        dropped.increment();
        return false;
    }

    /**
     * Hands {@code record} to the writer, waiting for a free slot if the ring is full: for the few records recovery
     * depends on (checkpoints, retirements), which must not be dropped. The wait is the writer's backlog, bounded by
     * the ring; it gives up (dropping and counting the record) only once the writer is closed.
     *
     * @return false if the writer closed before a slot came free
     */
    public boolean publishReliably(JournalRecord record) {
        while (!ring.tryPublishEvent(FILL, record)) {
            if (closing) {
                dropped.increment();
                return false;
            }
            LockSupport.parkNanos(50_000);
        }
        return true;
    }

    /** {@link #publish} an event of {@code type}, at its type's severity, now. */
    public boolean event(EventType type, String agent, String details) {
        return publish(JournalEvent.of(now(), type, agent, details));
    }

    /** Now, by the runtime's clock: the time to give a record published here. */
    public Instant now() {
        return clock.instant();
    }

    /** Records dropped because the ring was full. */
    public long dropped() {
        return dropped.sum();
    }

    /** Whether {@link #close} has stopped the writer: nothing published from now on reaches the journal. */
    public boolean isClosed() {
        return closing;
    }

    /** Records the journal has accepted. */
    public long written() {
        return written;
    }

    /** Appends that threw (their records are lost; the writer carries on, and every flush throws). */
    public long failedAppends() {
        return failedAppends.sum();
    }

    /** Records in appends that threw: published, never in the journal. */
    public long lostRecords() {
        return lost;
    }

    /**
     * Why the journal has lost records, if an append failed: the first failure (its cause), and how many appends and
     * records have been lost in all. The exception every {@link #flush} throws from then on.
     */
    public Optional<JournalException> failure() {
        JournalException f = firstFailure;
        if (f == null) {
            return Optional.empty();
        }
        long n = failedAppends.sum();
        return Optional.of(new JournalException(f.directory(), f.getMessage() + (n > 1 ? " (" + n
                + " appends have failed, " + lost + " records lost in all)" : ""), f.getCause()));
    }

    /**
     * Waits until the writer has dealt with everything published before this call, at most {@code timeout}: once
     * this returns true, those records are in the journal. Returns false on timeout, and at once when the writer has
     * been closed with some of them unwritten (nobody will write them). Polls every 100 us.
     *
     * @throws JournalException if an append has failed (now or before this call): records are lost, and the message
     *                          says how many and why
     */
    public boolean flush(Duration timeout) {
        long target = ring.getCursor() + 1;
        long deadline = RuntimeClock.system().nanoTime() + timeout.toNanos();
        while (processed < target) {
            throwIfFailed();
            if (closing && processed < target) { // closing is set once the writer thread has stopped for good
                return false;
            }
            if (RuntimeClock.system().nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(100_000);
        }
        throwIfFailed(); // read after processed: a failure of the batches up to target is visible here
        return true;
    }

    private void throwIfFailed() {
        if (firstFailure != null) {
            throw failure().orElseThrow();
        }
    }

    /** Writes what is queued (within {@code timeout}), then stops the writer thread. The journal stays open. */
    public void close(Duration timeout) {
        try {
            disruptor.shutdown(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.warn("the journal writer did not catch up within {}; {} records were not written", timeout,
                    ring.getCursor() + 1 - processed);
            disruptor.halt();
        }
        closing = true; // the writer has stopped: nobody frees a slot any more
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    private final class Writer implements EventHandler<Slot> {
        private final List<JournalRecord> batch = new ArrayList<>();
        private long droppedReported;

        @Override
        public void onEvent(Slot slot, long sequence, boolean endOfBatch) {
            batch.add(slot.record);
            slot.record = null;
            if (endOfBatch || batch.size() == MAX_BATCH) {
                write(sequence + 1);
            }
        }

        @Override
        public void onShutdown() {
            if (dropped.sum() != droppedReported) { // drops after the last batch must not go unrecorded either
                write(processed);
            }
        }

        private void write(long upTo) {
            long d = dropped.sum();
            if (d != droppedReported) {
                batch.addFirst(JournalEvent.of(now(), EventType.EVENTS_DROPPED, null, (d - droppedReported)
                        + " events dropped: the journal writer fell behind (ring full); " + d + " in all"));
                droppedReported = d;
            }
            try {
                journal.append(batch);
                written += batch.size();
            } catch (Exception | Error e) { // an InternalError is how a full disk shows in a mapped file; some
                // journals throw checked exceptions undeclared
                failed(batch.size(), e);
            } finally {
                batch.clear();
                processed = upTo; // after failure: see "Acknowledgements"
            }
        }
    }

    /** On the writer thread: counts a failed append of n records; keeps the first for every flush to throw. */
    private void failed(int n, Throwable e) {
        failedAppends.increment();
        lost += n; // the writer thread is the only writer
        if (firstFailure == null) {
            String why = "the journal failed to append " + n + " records, which are lost: " + e;
            firstFailure = e instanceof JournalException j ? new JournalException(j.directory(), why, e)
                    : new JournalException(why, e);
        }
        LOG.error("the journal failed to append {} records; they are lost, and every flush of the journal fails from"
                + " now on", n, e);
    }

    private static final class Unexpected implements ExceptionHandler<Slot> {
        @Override
        public void handleEventException(Throwable ex, long sequence, Slot slot) {
            LOG.error("journal writer: unexpected failure at record {}", sequence, ex);
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            LOG.error("journal writer failed to start", ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            LOG.error("journal writer failed to stop", ex);
        }
    }
}
