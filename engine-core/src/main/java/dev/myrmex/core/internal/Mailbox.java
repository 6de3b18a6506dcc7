package dev.myrmex.core.internal;

import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.DeadLetters;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.Tag;
import dev.myrmex.core.internal.events.MailboxOverflowEvent;
import dev.myrmex.core.mailbox.MailboxFullException;
import dev.myrmex.core.mailbox.MailboxSettings;
import dev.myrmex.core.spi.Endpoint;
import dev.myrmex.core.spi.Pace;
import dev.myrmex.core.time.RuntimeClock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.unpadded.MpscChunkedUnpaddedArrayQueue;

/**
 * An agent's bounded mailbox: many senders, one receiver, backpressure between them.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Senders</b> (any threads) call {@link #send}, or {@link #offerNow} if they must never wait (a non-blocking
 *       handler on a carrier). Per-sender FIFO: one sender's messages are taken in the order it sent them (JCTools
 *       MPSC). A send beyond capacity follows the overflow policy; a send that brings the queue to the high
 *       watermark then holds its sender back until the receiver drains to the low watermark. Both waits are bounded
 *       by the block timeout. A sender that must not wait is told instead (FULL, PRESSURED), keeps what was not
 *       taken, and {@linkplain #mute mutes} itself here: it is told once when the receiver has drained. Capacity is
 *       checked before the enqueue, so it is exact for one sender; senders racing at the limit may overshoot it by at
 *       most their number, never beyond the queue's hard bound (the capacity rounded up to a power of two). An exact
 *       bound would cost an atomic per send and per receive.</li>
 *   <li><b>The receiver</b>, one thread at a time, calls {@link #poll} and {@link #take}. It parks when the queue is
 *       empty and is unparked by the next send; or, for a receiver with an {@link ArrivalListener}, it only polls and
 *       each send tells the listener.</li>
 *   <li><b>Close</b> ({@link #close}) is called by the receiver, or once it has stopped for good. From then on the
 *       receiver role belongs to one drainer at a time: the closer drains what is queued into dead letters, and a
 *       sender whose message raced the close asks for a drain too (see {@link #drainToDeadLetters}). Nothing is left
 *       stranded; a sender never waits, and the close returns once every message it held is a dead letter.</li>
 * </ul>
 *
 * <h2>Orderings</h2>
 * <ul>
 *   <li>Receiver wake-up: the receiver publishes itself in {@link #waitingReceiver} (volatile), then polls again; a
 *       sender enqueues (a CAS on the producer index), then reads {@link #waitingReceiver}. All are synchronisation
 *       actions, so one of the two sees the other: the receiver finds the message, or the sender unparks it.</li>
 *   <li>Close: the closer writes {@link #closed}, then drains; a sender enqueues, then reads {@link #closed} and, if
 *       set, asks for a drain. Same pairing: the message is drained by one of them.</li>
 *   <li>Waiting and muted senders: the receiver releases them after polls and, fenced, before parking (or, for a
 *       handler, as its turn ends on an empty queue: {@link #ranEmpty}); so a release missed while draining is made at
 *       the latest when the queue runs empty. A sender that mutes itself adds itself, sets {@link #pressured}, fences
 *       and looks at the size again: if the drain is already done, it releases the muted itself.</li>
 * </ul>
 * The {@link SenderGate} (lock, condition, muted senders, counters) is created by the first sender that has to be
 * slowed down, or by the close of a failed owner's mailbox to carry the failure: a mailbox that never is carries no
 * lock at all (memory per idle agent matters: there may be millions).
 * An {@linkplain MailboxSettings#unbounded() unbounded} mailbox's queue grows in chunks of {@link #UNBOUNDED_CHUNK}
 * up to the queue's largest bound, {@link MailboxSettings#MAX_CAPACITY} messages; a send beyond that fails.
 *
 * @param <M> the message payload type
 */
public final class Mailbox<M extends Sendable> {
    /**
     * Chunk of the queue for the default capacity: an idle agent holds one chunk, not its full capacity (JOL: 128 B
     * for the empty queue). Large mailboxes get larger chunks, up to {@link #MAX_CHUNK}, so that a deep queue is not a
     * long list of tiny arrays; a chunk is at most 1/128 of the capacity.
     */
    private static final int MIN_CHUNK = 8;
    private static final int MAX_CHUNK = 1024;
    /**
     * Chunk of an unbounded mailbox's queue: a few cache lines, so an idle one stays small and a busy one links less.
     */
    private static final int UNBOUNDED_CHUNK = 32;
    private static final VarHandle GATE;
    private static final VarHandle CONSUMED;
    private static final VarHandle DRAINS;

    static {
        try {
            GATE = MethodHandles.lookup().findVarHandle(Mailbox.class, "gate", SenderGate.class);
            CONSUMED = MethodHandles.lookup().findVarHandle(Mailbox.class, "consumedLowerBound", long.class);
            DRAINS = MethodHandles.lookup().findVarHandle(Mailbox.class, "drainRequests", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MpscChunkedUnpaddedArrayQueue<Message<M>> queue;
    private final MailboxSettings settings;
    private Tag owner; // the recipient, named in dead letters and errors; bound once, before the first send
    private final DeadLetters deadLetters;
    private final RuntimeEvents events; // overflows go to the journal, sampled
    private ArrivalListener listener; // bound once, before the first send; null: wake a waiting receiver thread
    private volatile Thread waitingReceiver;
    private volatile boolean pressured; // set by a sender at the high watermark, cleared by the receiver at the low
    private volatile boolean closed;
    private volatile SenderGate gate;
    @SuppressWarnings("unused") // through DRAINS: drains asked for and not yet done, see drainToDeadLetters
    private volatile int drainRequests;
    /**
     * Senders' cached lower bound of the consumer index (opaque reads and writes, racy by design: the index only
     * grows, so any value a sender ever read is still a lower bound). Producer index minus it bounds the queue's size
     * from above without touching the cache line the receiver writes on every poll; only a send that finds the bound
     * at the limit reads the real index.
     */
    @SuppressWarnings("unused") // accessed through CONSUMED
    private long consumedLowerBound;

    public Mailbox(Tag owner, MailboxSettings settings, DeadLetters deadLetters) {
        this(settings, deadLetters);
        this.owner = owner;
    }

    /** A mailbox whose owner is bound later with {@link #bindOwner}: the owner's address needs the mailbox first. */
    public Mailbox(MailboxSettings settings, DeadLetters deadLetters) {
        this(settings, deadLetters, RuntimeEvents.NONE);
    }

    /** A mailbox whose overflows are also journalled through {@code events}. */
    public Mailbox(MailboxSettings settings, DeadLetters deadLetters, RuntimeEvents events) {
        this.settings = settings;
        this.deadLetters = deadLetters;
        this.events = events;
        if (settings.isUnbounded()) {
            this.queue = new MpscChunkedUnpaddedArrayQueue<>(UNBOUNDED_CHUNK, MailboxSettings.MAX_CAPACITY);
            return;
        }
        // JCTools rounds both sizes to powers of two and needs 2 <= initial chunk < hard bound, hard bound >= 4.
        // The hard bound only backs up the exact capacity check in offer(); MailboxSettings keeps it within 2^30.
        int hardBound = Math.max(4, Integer.highestOneBit(settings.capacity() - 1) << 1);
        int chunk = Math.max(2, Math.min(hardBound / 2,
                Math.clamp(Integer.highestOneBit(settings.capacity() / 128), MIN_CHUNK, MAX_CHUNK)));
        this.queue = new MpscChunkedUnpaddedArrayQueue<>(chunk, hardBound);
    }

    /**
     * Told after every enqueue, on the sender's thread, in place of the receiver wake-up: how a receiver that has no
     * thread waiting in {@link #take} (a handler-style agent) learns that it has work. It must not block.
     */
    public interface ArrivalListener {
        void messageArrived();

        /**
         * A sender starts to be slowed down by this mailbox (held back, waiting for room, or muted): its receiver is
         * overloaded, and one that holds its own turns while muted itself must run again to drain. On the sender's
         * thread, after the mailbox says so in {@link #overloaded}; it must not block.
         */
        void becameOverloaded();
    }

    /** Binds the arrival listener; once, before the mailbox is shared. */
    public void bindListener(ArrivalListener l) {
        if (listener != null) {
            throw new IllegalStateException("mailbox listener already bound");
        }
        this.listener = l;
    }

    /** Binds the recipient's address; once, before the mailbox is shared (the spawn publishes it after). */
    public void bindOwner(Tag recipient) {
        if (owner != null) {
            throw new IllegalStateException("mailbox owner already bound to " + owner);
        }
        this.owner = recipient;
    }

    // ---- senders ----

    /**
     * Enqueues {@code message}, following the overflow policy when full; {@code pace} says whether the sender may wait
     * for room (BLOCK) and be held back at the high watermark.
     *
     * @return true if enqueued; false if it became a dead letter (mailbox closed, or full under DROP)
     * @throws MailboxFullException  if full under FAIL, still full after the block timeout under BLOCK, or full under
     *                               BLOCK for a sender that never waits
     * @throws InterruptedException  if interrupted while waiting for room (the message was not sent)
     */
    public boolean send(Message<M> message, Pace pace) throws InterruptedException {
        Endpoint.Offer o = enqueueOrOverflow(message, pace == Pace.NEVER_WAIT ? "REFUSED" : "WAITED");
        if (o == Endpoint.Offer.DEAD) {
            return false;
        }
        if (o == Endpoint.Offer.FULL) {
            if (pace == Pace.NEVER_WAIT) {
                throw full("its overflow policy is BLOCK, but the sender is a non-blocking handler on a carrier "
                        + "thread, which must not wait");
            }
            if (!waitForRoomAndOffer(message)) {
                return false; // closed while we waited: it is a dead letter
            }
        }
        arrived(); // before any hold-back: the receiver must be on its way before we wait for it
        if (closed) {
            drainToDeadLetters(); // our message raced the close: make sure it is not stranded
            return true;
        }
        if (pace == Pace.HOLD_BACK && settings.hasWatermarks() && sizeAtLeast(settings.highWatermark())) {
            holdBack();
        }
        return true;
    }

    /**
     * Enqueues {@code message} for a sender that must never wait (a non-blocking handler on a carrier): a full mailbox
     * under BLOCK does not take it and says so, and a mailbox at its high watermark takes it and says so; the sender
     * then keeps what was not taken and {@linkplain #mute mutes} itself.
     *
     * @throws MailboxFullException if full and the overflow policy is FAIL
     */
    public Endpoint.Offer offerNow(Message<M> message) {
        Endpoint.Offer o = enqueueOrOverflow(message, "KEPT_BY_SENDER");
        if (o != Endpoint.Offer.ACCEPTED) {
            return o;
        }
        arrived();
        if (closed) {
            drainToDeadLetters();
            return Endpoint.Offer.ACCEPTED;
        }
        return settings.hasWatermarks() && sizeAtLeast(settings.highWatermark()) ? Endpoint.Offer.PRESSURED
                : Endpoint.Offer.ACCEPTED;
    }

    /**
     * The first step of every send: ACCEPTED if enqueued (the receiver not yet told); DEAD if it became a dead letter
     * (closed, or full under DROP); FULL if full under BLOCK (recorded as {@code blockOutcome}).
     *
     * @throws MailboxFullException if full under FAIL, or an unbounded mailbox is at the queue's largest bound
     */
    Endpoint.Offer enqueueOrOverflow(Message<M> message, String blockOutcome) { // package: MailboxStress's twin
        if (closed) {
            dead(message, DeadLetter.Reason.RECIPIENT_STOPPED);
            return Endpoint.Offer.DEAD;
        }
        if (offer(message)) {
            return Endpoint.Offer.ACCEPTED;
        }
        if (settings.isUnbounded()) {
            throw full("an unbounded mailbox holds at most " + MailboxSettings.MAX_CAPACITY + " messages");
        }
        return switch (settings.overflow()) {
            case DROP -> {
                overflowed("DROPPED");
                dead(message, DeadLetter.Reason.MAILBOX_FULL);
                yield Endpoint.Offer.DEAD;
            }
            case FAIL -> {
                overflowed("REFUSED");
                throw full("its overflow policy is FAIL");
            }
            case BLOCK -> {
                overflowed(blockOutcome);
                yield Endpoint.Offer.FULL;
            }
        };
    }

    /**
     * Mutes {@code sender} on this mailbox: it is told ({@link Endpoint.MutedSender#unmuted}) exactly once, when the
     * receiver has drained to the release level (the low watermark, or half the capacity without watermarks) or the
     * mailbox has closed; at once if that has already happened.
     */
    public void mute(Endpoint.MutedSender sender) {
        SenderGate g = gate();
        g.muted.offer(sender);
        pressured = true;
        VarHandle.fullFence(); // our entry and flag before our look at the size; the receiver's drain pairs with it
        if (closed || queue.size() <= releaseLevel()) {
            g.unmuteAll(); // the drain (or the close) may have looked before our entry was there
        }
        tellOverloaded();
    }

    /**
     * Whether this mailbox's own agent is overloaded: at or above its high watermark (full, without watermarks), or
     * slowing senders down now (some wait, or are muted, until it drains). Such an agent is not kept from running when
     * it is muted itself, as long as it has room to keep sends (see {@code PendingSends}): so two agents flooding each
     * other keep moving. Receiver only.
     */
    public boolean overloaded() {
        return pressured || sizeAtLeast(settings.hasWatermarks() ? settings.highWatermark() : settings.capacity());
    }

    /** After {@link #overloaded} says so: a receiver whose turns are held while it is muted must drain now. */
    private void tellOverloaded() {
        ArrivalListener l = listener;
        if (l != null) {
            l.becameOverloaded();
        }
    }

    private int releaseLevel() {
        return settings.hasWatermarks() ? settings.lowWatermark() : settings.capacity() / 2;
    }

    private void arrived() {
        ArrivalListener l = listener;
        if (l != null) {
            l.messageArrived();
        } else {
            Thread receiver = waitingReceiver;
            if (receiver != null) {
                LockSupport.unpark(receiver);
            }
        }
    }

    private boolean offer(Message<M> message) {
        // The chunked queue rejects at its capacity, rounded to a power of two: enforce the exact one here.
        return !sizeAtLeast(settings.capacity()) && queue.offer(message);
    }

    /**
     * Whether at least {@code n} messages are queued now, as far as a sender can tell: exact when the answer is yes,
     * and cheap when it is clearly no (see {@link #consumedLowerBound}).
     */
    private boolean sizeAtLeast(int n) {
        long produced = queue.currentProducerIndex();
        if (produced - (long) CONSUMED.getOpaque(this) < n) {
            return false;
        }
        long consumed = queue.currentConsumerIndex();
        CONSUMED.setOpaque(this, consumed);
        return produced - consumed >= n;
    }

    private boolean waitForRoomAndOffer(Message<M> message) throws InterruptedException {
        tellOverloaded(); // full: at or above the high watermark, so overloaded() already says so
        SenderGate g = gate();
        long remaining = settings.blockTimeout().toNanos();
        g.lock.lock();
        g.waiting++;
        try {
            while (!closed) {
                if (offer(message)) {
                    return true;
                }
                if (remaining <= 0) {
                    throw full("it stayed full for the block timeout " + settings.blockTimeout());
                }
                remaining = g.changed.awaitNanos(remaining);
            }
        } finally {
            g.waiting--;
            g.lock.unlock();
        }
        dead(message, DeadLetter.Reason.RECIPIENT_STOPPED); // outside the lock: subscribers are user code
        return false;
    }

    /** At the high watermark: wait until the receiver drains to the low one, or the block timeout passes. */
    private void holdBack() throws InterruptedException {
        pressured = true;
        tellOverloaded();
        SenderGate g = gate();
        long remaining = settings.blockTimeout().toNanos();
        g.lock.lock();
        g.waiting++;
        g.holdBacks++;
        try {
            while (pressured && !closed && queue.size() > settings.lowWatermark()) {
                if (remaining <= 0) {
                    g.holdBackTimeouts++; // the message is in; the sender just stops waiting
                    return;
                }
                remaining = g.changed.awaitNanos(remaining);
            }
        } finally {
            g.waiting--;
            g.lock.unlock();
        }
    }

    private SenderGate gate() {
        SenderGate g = gate;
        if (g == null) {
            SenderGate fresh = new SenderGate();
            g = (SenderGate) GATE.compareAndExchange(this, (SenderGate) null, fresh);
            if (g == null) {
                g = fresh;
            }
        }
        return g;
    }

    private void overflowed(String outcome) {
        MailboxOverflowEvent event = new MailboxOverflowEvent();
        if (event.isEnabled()) {
            event.recipient = String.valueOf(owner);
            event.capacity = settings.capacity();
            event.policy = settings.overflow().name();
            event.outcome = outcome;
            event.commit();
        }
        events.overflow(owner, settings, outcome);
    }

    private MailboxFullException full(String why) {
        return new MailboxFullException("mailbox of " + owner + " is full (" + (settings.isUnbounded() ? "unbounded"
                : settings.capacity() + " messages") + "): " + why);
    }

    // ---- the receiver ----

    /** The oldest message, or null if there is none now. Receiver only. */
    public Message<M> poll() {
        Message<M> m = queue.poll();
        if (m != null) {
            releaseSenders(false);
        }
        return m;
    }

    /**
     * The receiver found the queue empty and goes idle without waiting in {@link #take} (a handler's turn ends):
     * releases, fenced, any sender held back. A sender that reached the high watermark as the receiver's last poll
     * checked for it (each side's store not yet seen by the other) would otherwise wait out its block timeout, with
     * no later poll to release it. Receiver only.
     */
    public void ranEmpty() {
        releaseSenders(true);
    }

    /**
     * The oldest message, waiting for one at most {@code timeout} (in {@code unit}; {@code Long.MAX_VALUE} waits for
     * ever); null on timeout. Receiver only.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public Message<M> take(long timeout, TimeUnit unit) throws InterruptedException {
        return take(timeout, unit, () -> false);
    }

    /**
     * Like {@link #take(long, TimeUnit)}, and also returns null when woken (unparked) while {@code stopWaiting}
     * holds: how the runtime makes a waiting agent look at a pause or a stop. Receiver only.
     */
    public Message<M> take(long timeout, TimeUnit unit, java.util.function.BooleanSupplier stopWaiting)
            throws InterruptedException {
        boolean forever = timeout == Long.MAX_VALUE;
        long deadline = forever ? 0 : RuntimeClock.system().nanoTime() + unit.toNanos(timeout);
        while (true) {
            Message<M> m = poll();
            if (m != null) {
                return m;
            }
            waitingReceiver = Thread.currentThread();
            try {
                m = poll(); // the receiver's side of the wake-up pair: published, then polled again
                if (m != null) {
                    return m;
                }
                releaseSenders(true); // empty: nobody may stay held back
                if (forever) {
                    // Untimed: a timed park makes the JDK schedule and cancel a timer task for every wait.
                    LockSupport.park(this);
                } else {
                    long left = deadline - RuntimeClock.system().nanoTime();
                    if (left <= 0) {
                        return null;
                    }
                    LockSupport.parkNanos(this, left);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (stopWaiting.getAsBoolean()) {
                    return null;
                }
            } finally {
                waitingReceiver = null;
            }
        }
    }

    /** The oldest message, waiting as long as it takes. Receiver only. */
    public Message<M> take() throws InterruptedException {
        return take(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    void releaseSenders(boolean fenced) { // package: MailboxStress's broken twin calls it unfenced
        if (fenced) {
            // Our consumer-index stores before any read of the senders' side, the gate itself included: a sender's
            // first mute makes the gate, and a look at a gate still null, taken ahead of our stores, missed it while
            // the sender read our index from before them (MailboxStress.RanEmpty found that: 878 lost in 2.6e7).
            VarHandle.fullFence();
        }
        SenderGate g = gate;
        if (g == null) {
            return; // nobody ever waited on this mailbox
        }
        boolean release = false;
        if (pressured && queue.size() <= releaseLevel()) {
            pressured = false;
            release = true;
        }
        if (release || g.waiting > 0) {
            g.wakeSenders();
        }
        if (release) {
            g.unmuteAll();
        }
    }

    // ---- closing ----

    /**
     * Closes the mailbox: later sends become dead letters, waiting senders wake (their messages become dead letters
     * too) and everything still queued is drained into dead letters. Returns how many were drained. Called by the
     * receiver, or after it has stopped for good.
     */
    public int close() {
        return close(null);
    }

    /**
     * {@link #close()} for an owner that ended failing with {@code endedWith} (null: it stopped normally): its dead
     * letters for {@link DeadLetter.Reason#RECIPIENT_STOPPED} carry that cause, now and for every later send.
     */
    public int close(Throwable endedWith) {
        if (endedWith != null) {
            gate().closedBy = endedWith;
        }
        closed = true;
        SenderGate g = gate;
        if (g != null) {
            g.wakeSenders();
            g.unmuteAll(); // what they kept for us becomes a dead letter when they try again
        }
        return drainAllToDeadLetters();
    }

    /**
     * A sender's drain of the closed queue into dead letters, or its request that the drainer at work go round once
     * more. The queue has one consumer at a time: whoever moves {@link #drainRequests} from 0 drains, and before it
     * stops it takes back the requests it served; a request that came in meanwhile leaves the count above 0, so it
     * drains again. A sender asks after its message is in, so the drainer's next pass finds it. The sender never
     * waits, so a carrier may ask; the dead letters are published by the drainer, holding no lock.
     *
     * @return the dead letters this call published (0 if another drainer took the work)
     */
    private int drainToDeadLetters() {
        return (int) DRAINS.getAndAdd(this, 1) == 0 ? drainAsDrainer() : 0;
    }

    /**
     * The closer's drain: waits for a sender's drain at work to finish (it publishes what it took: user code, for as
     * long as the subscribers take), then drains the rest itself, so that when the close returns every message the
     * mailbox held is a dead letter and the owner's end can be told.
     */
    private int drainAllToDeadLetters() {
        while (!DRAINS.compareAndSet(this, 0, 1)) {
            Thread.onSpinWait();
        }
        return drainAsDrainer();
    }

    /** Drains as the one consumer, {@link #drainRequests} held above 0, until no request is left. */
    private int drainAsDrainer() {
        int n = 0;
        int served = 1;
        do {
            Message<M> m;
            while ((m = queue.poll()) != null) {
                dead(m, DeadLetter.Reason.RECIPIENT_STOPPED);
                n++;
            }
            served = (int) DRAINS.getAndAdd(this, -served) - served;
        } while (served != 0);
        return n;
    }

    private void dead(Message<M> message, DeadLetter.Reason reason) {
        SenderGate g = reason == DeadLetter.Reason.RECIPIENT_STOPPED ? gate : null;
        deadLetters.publish(new DeadLetter(message, owner, reason, g == null ? null : g.closedBy));
    }

    /** Publishes a message this mailbox's owner took as a dead letter: it failed on it, with {@code cause}. */
    public void deadLetter(Message<M> message, DeadLetter.Reason reason, Throwable cause) {
        deadLetters.publish(new DeadLetter(message, owner, reason, cause));
    }

    // ---- observation ----

    public boolean isClosed() {
        return closed;
    }

    /** True if nothing is queued now. */
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Messages queued now. */
    public int size() {
        return queue.size();
    }

    public MailboxSettings settings() {
        return settings;
    }

    /** Times a sender was held back at the high watermark, and how many of those waits hit the block timeout. */
    public long[] holdBackCounts() {
        SenderGate g = gate;
        if (g == null) {
            return new long[] {0, 0};
        }
        return new long[] {g.holdBacks, g.holdBackTimeouts}; // two reads: a pair in flux may be off by one
    }
}
