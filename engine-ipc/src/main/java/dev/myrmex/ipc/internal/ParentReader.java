package dev.myrmex.ipc.internal;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.DeadLetters;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.Tag;
import dev.myrmex.core.mailbox.MailboxFullException;
import dev.myrmex.core.spi.Hosting;
import dev.myrmex.core.time.RuntimeClock;
import dev.myrmex.ipc.FrameDecodeException;
import dev.myrmex.ipc.MessageCodec;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * The parent's side of one child's ring to the parent: a platform thread per child incarnation reads it, and so may a
 * thread waiting for a reply ({@link #help}); a try-lock makes whichever reads the ring's only consumer at that moment,
 * and deliveries happen under it, so the child's messages arrive in ring order whoever reads them. It delivers the
 * child's messages to their addresses here (a message for the hosted agent itself goes back into the ring to the
 * child, behind what is queued there), and notes the child's STARTED and ENDED frames.
 *
 * <h2>A child is not trusted</h2>
 * It reads through a {@link RingReader}, which checks every record length against the ring before touching the record,
 * and hands each record to {@link Frames#read}, which checks every length inside it against the record. The first
 * record that fails a check, or that the codec cannot decode, is the channel's {@link #corruption}: the ring is not
 * read again (what follows a forged length cannot be framed), the owner is told at once ({@code onCorruption}, which
 * wakes the watcher: it kills the child and fails the agent), and a waiting asker is never handed the error. A
 * message that decodes but cannot be delivered here (a full mailbox, an address of the child's own) is a dead letter,
 * counted; the loop never dies of it.
 *
 * <p>When the child is gone ({@link #finish}), the reader thread takes every record the child committed, then skips a
 * record left claimed but uncommitted (a dying writer's): such a record is counted, never delivered. Safe only once
 * the child process has exited, as no producer is left to commit it later.
 */
final class ParentReader implements Runnable, RingReader.RecordHandler {
    private static final int BATCH = 64;
    private static final int HELP_BATCH = 16;
    /** How long after a waiting thread's last read this thread leaves the ring to it. */
    private static final long HELPER_GRACE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final HostedProcess<?> owner;
    private final RingReader ring;
    private final Runnable onCorruption;
    private final MessageCodec codec;
    private final AddressBook book;
    private final DeadLetters deadLetters;
    private final Thread thread;
    private final AtomicBoolean reading = new AtomicBoolean(); // the consumer lock
    // last help()
    private final AtomicLong helpedAt = new AtomicLong(RuntimeClock.system().nanoTime() - HELPER_GRACE_NANOS);
    /** The first sign that the child wrote what is not a frame; set once (by a reader, or the watcher for a stall). */
    private final AtomicReference<FrameDecodeException> corruption = new AtomicReference<>();
    private volatile boolean finishing;
    private volatile boolean started;
    private volatile Frames.Frame endedFrame;
    private volatile long refused; // written under the consumer lock
    private volatile long tornSkipped; // written by this thread, once the child has exited
    private volatile String lastRefusal;
    // Where and since when the head record has been claimed and not committed; written under the consumer lock.
    private volatile long blockedAt = -1;
    private volatile long blockedSince;

    /**
     * @param ring         the ring to the parent, cleared for this child (its head at 0)
     * @param onCorruption run once, on the reading thread, when the child's channel turns out to be corrupt
     */
    ParentReader(HostedProcess<?> owner, RingBuffer ring, MessageCodec codec, AddressBook book,
                 DeadLetters deadLetters, String agentName, Runnable onCorruption) {
        this.owner = owner;
        this.ring = new RingReader(ring);
        this.onCorruption = onCorruption;
        this.codec = codec;
        this.book = book;
        this.deadLetters = deadLetters;
        this.thread = Thread.ofPlatform().daemon().name("myrmex-ipc-" + agentName).unstarted(this);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        // Spin briefly, then yield the core for a while (a reply is usually microseconds away, and the child and the
        // waiting sender need cores too: on two cores, three spinners starve one another), then park up to 1 ms.
        IdleStrategy idle = new BackoffIdleStrategy(100, 10_000, TimeUnit.MICROSECONDS.toNanos(1),
                TimeUnit.MILLISECONDS.toNanos(1));
        while (!finishing) {
            if (corruption.get() != null) { // nothing more is read from this ring; the watcher ends the child
                LockSupport.park(this);
                continue;
            }
            long sinceHelp = RuntimeClock.system().nanoTime() - helpedAt.getAcquire();
            if (sinceHelp < HELPER_GRACE_NANOS) {
                // A waiting thread is reading: competing for the ring would only make replies take turns between
                // threads (and once this thread wins a few, it would keep winning, spinning on a core the asker needs).
                LockSupport.parkNanos(HELPER_GRACE_NANOS - sinceHelp);
                continue;
            }
            if (readBatch(BATCH) == 0) {
                idle.idle();
            } else {
                idle.reset();
            }
        }
        while (!reading.compareAndSet(false, true)) { // a helper is reading: the final drain must follow it
            Thread.onSpinWait();
        }
        if (corruption.get() == null) {
            try { // the child has exited: what it committed, skipping what it left half-written
                tornSkipped = ring.drainAbandoned(this);
            } catch (FrameDecodeException e) {
                corrupt(e);
            }
        }
    }

    /**
     * Reads what the child has sent, on the calling thread (one waiting for a reply), unless another thread is reading
     * or the child is gone (the reader thread then takes the rest). Never blocks on the ring.
     *
     * @return true if it took anything
     */
    boolean help() {
        if (finishing) {
            return false;
        }
        helpedAt.setRelease(RuntimeClock.system().nanoTime());
        return readBatch(HELP_BATCH) > 0;
    }

    private int readBatch(int limit) {
        if (!reading.compareAndSet(false, true)) {
            return 0;
        }
        try {
            if (corruption.get() != null) {
                return 0;
            }
            int n = ring.read(this, limit);
            long at = ring.blocked();
            if (at != blockedAt) {
                blockedSince = at < 0 ? 0 : RuntimeClock.system().nanoTime();
                blockedAt = at;
            }
            return n;
        } catch (FrameDecodeException e) {
            corrupt(e);
            return 0;
        } finally {
            reading.setRelease(false);
        }
    }

    /**
     * Records that the channel is corrupt (the first cause is kept) and tells the owner. Called by a reading thread, or
     * by the watcher when the child left a record claimed and uncommitted while it kept running.
     */
    void corrupt(FrameDecodeException e) {
        if (corruption.compareAndSet(null, e)) {
            onCorruption.run();
        }
    }

    /** Why the channel counts as corrupt, or null. */
    FrameDecodeException corruption() {
        return corruption.get();
    }

    /**
     * Since when (System.nanoTime) the record at the head has been claimed and not committed, as last read, or 0. A
     * producer commits within microseconds of its claim; a record that stays claimed while the child runs was forged.
     */
    long blockedSince() {
        return blockedSince;
    }

    /** Called once the child has exited: takes what is left and waits for the thread to end. */
    void finish() throws InterruptedException {
        finishing = true;
        LockSupport.unpark(thread);
        thread.join();
    }

    boolean started() {
        return started;
    }

    /** The child's ENDED frame, or null if it died without one. */
    Frames.Frame ended() {
        return endedFrame;
    }

    long refused() {
        return refused;
    }

    long tornSkipped() {
        return tornSkipped;
    }

    String lastRefusal() {
        return lastRefusal;
    }

    @Override
    public void onRecord(int type, MutableDirectBuffer buffer, int index, int length) throws FrameDecodeException {
        Frames.Frame f = Frames.read(type, buffer, index, length, codec, book);
        switch (f.type()) {
            case FrameDescriptor.STARTED -> started = true;
            case FrameDescriptor.ENDED -> endedFrame = f;
            case FrameDescriptor.BOUNCED -> book.bounced(f); // a forged one is a corrupt channel, as any bad frame
            default -> route(f);
        }
    }

    @SuppressWarnings("unchecked")
    private void route(Frames.Frame f) {
        Message<Sendable> m = f.message();
        long target = f.target();
        try {
            if (target == Addresses.HOSTED) {
                owner.send(m, Addresses.HOSTED, false); // a child's message to itself: back behind its queue
            } else if (Addresses.Side.PARENT.minted(target)) {
                AgentRef<Sendable> to = (AgentRef<Sendable>) book.tagAt(target);
                Hosting.get().send(to, m.payload(), m.sender());
            } else {
                refuse("a message for the child's own address " + Long.toHexString(target) + " came to the parent");
                deadLetters.publish(new DeadLetter(m, book.tagAt(target), DeadLetter.Reason.NO_RECIPIENT));
            }
        } catch (MailboxFullException e) {
            Tag to = target == Addresses.HOSTED ? null : book.recipientAt(target);
            deadLetters.publish(new DeadLetter(m, to, DeadLetter.Reason.MAILBOX_FULL));
        } catch (FrameDecodeException | RuntimeException | InterruptedException e) {
            refuse("could not deliver a message from the child: " + e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void refuse(String why) {
        refused = refused + 1;
        lastRefusal = why;
    }
}
