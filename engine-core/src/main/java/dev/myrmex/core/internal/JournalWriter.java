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
import dev.myrmex.core.journal.JournalRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    private final Disruptor<Slot> disruptor;
    private final RingBuffer<Slot> ring;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder failedAppends = new LongAdder();
    private volatile long written; // records the journal accepted; the writer thread alone writes it
    private volatile long processed; // ring sequence + 1 of the last slot the writer has dealt with
    private volatile boolean closing; // set by close: a reliable publisher stops waiting for room

    /** A writer that does not spin: {@link #JournalWriter(EventJournal, int, Duration)} with no spin. */
    public JournalWriter(EventJournal journal, int ringSize) {
        this(journal, ringSize, Duration.ZERO);
    }

    /**
     * @param ringSize slots in the ring, a power of two: how many records may wait for the writer before new ones
     *                 are dropped
     * @param spin     how long the writer spins, after each batch, for the next record before it backs off (yields,
     *                 then parks a millisecond at a time; publishers never signal it). Spinning takes an event to the
     *                 journal in about half the time when events come steadily, and costs up to that much CPU
     *                 time after each batch. Zero: no spin.
     */
    public JournalWriter(EventJournal journal, int ringSize, Duration spin) {
        if (ringSize < 1 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("journal ring size must be a power of two: " + ringSize);
        }
        if (spin.isNegative()) {
            throw new IllegalArgumentException("the journal writer's spin cannot be negative: " + spin);
        }
        this.journal = journal;
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
        return publish(JournalEvent.of(Instant.now(), type, agent, details));
    }

    /** Records dropped because the ring was full. */
    public long dropped() {
        return dropped.sum();
    }

    /** Records the journal has accepted. */
    public long written() {
        return written;
    }

    /** Appends that threw (their records are counted as lost; the writer carries on). */
    public long failedAppends() {
        return failedAppends.sum();
    }

    /**
     * Waits until the writer has dealt with everything published before this call, at most {@code timeout}.
     * Returns false on timeout. For a stop and for tests; it polls every 100 us.
     */
    public boolean flush(Duration timeout) {
        long target = ring.getCursor() + 1;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (processed < target) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(100_000);
        }
        return true;
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
                batch.addFirst(JournalEvent.of(Instant.now(), EventType.EVENTS_DROPPED, null, (d - droppedReported)
                        + " events dropped: the journal writer fell behind (ring full); " + d + " in all"));
                droppedReported = d;
            }
            try {
                journal.append(batch);
                written += batch.size();
            } catch (RuntimeException | Error e) {
                failedAppends.increment();
                LOG.error("the journal failed to append {} records; they are lost", batch.size(), e);
            } finally {
                batch.clear();
                processed = upTo;
            }
        }
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
