package dev.myrmex.ipc.internal;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.DeadLetters;
import dev.myrmex.core.MailboxFullException;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.Tag;
import dev.myrmex.core.internal.CoreAccess;
import dev.myrmex.ipc.FrameDecodeException;
import dev.myrmex.ipc.MessageCodec;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * The parent's side of one child's ring to the parent: a platform thread per child incarnation reads it, and so may a
 * thread waiting for a reply ({@link #help}); a try-lock makes whichever reads the ring's only consumer at that moment,
 * and deliveries happen under it, so the child's messages arrive in ring order whoever reads them. It delivers the child's messages to their addresses here (a message for the hosted agent itself goes back
 * into the ring to the child, behind what is queued there), and notes the child's STARTED and ENDED frames.
 *
 * <p>When the child is gone ({@link #finish}), it takes every record the child committed, then asks the ring to
 * {@code unblock} a record left claimed but uncommitted (a dying writer's), which turns it into padding: such a
 * record is skipped and counted, never delivered. Safe only once the child process has exited, as no producer is left
 * to commit it later. A frame that does not decode, or cannot be delivered, is counted and dead-lettered where it
 * holds a message; the loop never dies of it.
 */
final class ParentReader implements Runnable, MessageHandler {
    private static final int BATCH = 64;
    private static final int HELP_BATCH = 16;
    /** How long after a waiting thread's last read this thread leaves the ring to it. */
    private static final long HELPER_GRACE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final HostedProcess<?> owner;
    private final RingBuffer ring;
    private final MessageCodec codec;
    private final AddressBook book;
    private final DeadLetters deadLetters;
    private final Thread thread;
    private final AtomicBoolean reading = new AtomicBoolean(); // the consumer lock
    private final AtomicLong helpedAt = new AtomicLong(System.nanoTime() - HELPER_GRACE_NANOS); // last help()
    private volatile boolean finishing;
    private volatile boolean started;
    private volatile Frames.Frame endedFrame;
    private volatile long refused; // written under the consumer lock
    private volatile long tornSkipped; // written by this thread, once the child has exited
    private volatile String lastRefusal;

    ParentReader(HostedProcess<?> owner, RingBuffer ring, MessageCodec codec, AddressBook book,
                 DeadLetters deadLetters, String agentName) {
        this.owner = owner;
        this.ring = ring;
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
            long sinceHelp = System.nanoTime() - helpedAt.getAcquire();
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
        while (true) { // the child has exited: what it committed, then what it left half-written
            int n = ring.read(this);
            if (n == 0) {
                if (!ring.unblock()) {
                    break;
                }
                tornSkipped = tornSkipped + 1;
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
        helpedAt.setRelease(System.nanoTime());
        return readBatch(HELP_BATCH) > 0;
    }

    private int readBatch(int limit) {
        if (!reading.compareAndSet(false, true)) {
            return 0;
        }
        try {
            return ring.read(this, limit);
        } finally {
            reading.setRelease(false);
        }
    }

    /** Called once the child has exited: takes what is left and waits for the thread to end. */
    void finish() throws InterruptedException {
        finishing = true;
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
    public void onMessage(int type, MutableDirectBuffer buffer, int index, int length) {
        Frames.Frame f;
        try {
            f = Frames.read(type, (DirectBuffer) buffer, index, length, codec, book);
        } catch (FrameDecodeException e) {
            refuse("undecodable frame: " + e.getMessage());
            return;
        }
        switch (f.type()) {
            case FrameDescriptor.STARTED -> started = true;
            case FrameDescriptor.ENDED -> endedFrame = f;
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
                CoreAccess.get().send(to, m.payload(), m.sender());
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
