package dev.myrmex.ipc.internal;

import dev.myrmex.core.AgentContext;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.AgentStoppingException;
import dev.myrmex.core.DirectContext;
import dev.myrmex.core.Message;
import dev.myrmex.core.Request;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.Tag;
import dev.myrmex.core.spi.Hosting;
import dev.myrmex.core.time.RuntimeClock;
import dev.myrmex.ipc.FrameDecodeException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The hosted behavior's context in the child: {@code receive} takes the next frame straight from the ring to the
 * child, one at a time (through a {@link RingReader}: past the padding at the buffer's end, every length checked), so a
 * message counts as taken exactly when the behavior gets it (what is still in the ring when the child dies is what it
 * never took). A frame that does not decode is refused and counted; a ring whose records do not fit (only the child
 * itself could have written over it) ends the behavior with an {@code IllegalStateException}. The rest delegates to
 * the child agent's own context.
 *
 * <h2>Taken, exactly, whenever the child dies</h2>
 * The parent counts what the child took ({@link Counter#TAKEN}) and turns what is left in the ring into dead letters
 * once the child has died, possibly killed at any instruction. For the two to add up exactly, a message is taken at
 * one store, the count, and the parent can always tell where the taken records end: before it zeroes anything it
 * consumed (which makes the records unreadable), the child publishes the position up to which it has consumed, in
 * the slot of the count that position belongs to ({@link Counter#CONSUMED_EVEN} / {@code _ODD}, by the count's
 * parity). Taking a message at the head:
 * <ol>
 *   <li>decode it (the reader has moved past it);</li>
 *   <li>write its end into the slot of count + 1;</li>
 *   <li>count + 1 (release): taken;</li>
 *   <li>zero it and publish the head ({@link RingReader}, after writing the end into the slot of the current count
 *       again, as it does for padding and for frames passed on to the child's other agents).</li>
 * </ol>
 * Killed before 3, the count names a slot that does not reach the message: it is drained, intact (nothing was zeroed).
 * Killed after 3, the slot the count names covers it: it is skipped, however much of it was zeroed.
 * {@link Channel#consumedUpTo} reads the slot the count names.
 *
 * <p>Used by the behavior's thread only (the ring's single consumer).
 */
final class RingContext<M extends Sendable> implements DirectContext<M>, RingReader.RecordHandler {
    private static final double EMA_WEIGHT = 0.1;
    /** Processing time is sampled, one message in 16 (the first among them): two clock reads a message cost more than
     * moving a small one. */
    private static final int SAMPLE_MASK = 15;

    private final AgentContext<M> real;
    private final AgentRef<M> self;
    private final ChildSide side;
    private final RingReader ring;
    private final AtomicCounter stop;
    private final AtomicCounter taken;
    private final AtomicCounter refused;
    private final AtomicCounter processing;
    private final AtomicCounter consumedEven;
    private final AtomicCounter consumedOdd;
    // Spin briefly, then yield the carrier for a while (a busy sender's next message is microseconds away, and the
    // sender needs a core too), then park up to 1 ms.
    private final IdleStrategy idle = new BackoffIdleStrategy(100, 10_000, TimeUnit.MICROSECONDS.toNanos(1),
            TimeUnit.MILLISECONDS.toNanos(1));
    private Message<M> next;
    private Message<M> current; // the message last taken: the one a failure of the behavior failed on
    private boolean stopSelf;
    private long takenCount; // what TAKEN holds: this thread is its only writer
    private long takenAt; // when the message being processed was taken, if it is sampled, or 0
    private double processingEma;

    RingContext(AgentContext<M> real, AgentRef<M> self, ChildSide side) {
        this.real = real;
        this.self = self;
        this.side = side;
        Channel c = side.channel();
        this.stop = c.counter(Counter.STOP_REQUESTED);
        this.taken = c.counter(Counter.TAKEN);
        this.refused = c.counter(Counter.CHILD_REFUSED);
        this.processing = c.counter(Counter.PROCESSING_NANOS);
        this.consumedEven = c.counter(Counter.CONSUMED_EVEN);
        this.consumedOdd = c.counter(Counter.CONSUMED_ODD);
        this.ring = new RingReader(c.toChild(), this::consumed);
    }

    /** Publishes how far the ring has been consumed, in the slot of the current count. */
    private void consumed(long upTo) {
        slot(takenCount).setRelease(upTo);
    }

    private AtomicCounter slot(long count) {
        return (count & 1) == 0 ? consumedEven : consumedOdd;
    }

    @Override
    public AgentRef<M> self() {
        return self;
    }

    @Override
    public String name() {
        return real.name();
    }

    /**
     * The message the behavior took last, null if none: the one it failed on, if it failed. Read after the
     * behavior's thread ended (its join orders the read after the write).
     */
    Message<M> current() {
        return current;
    }

    @Override
    public Message<M> receive() throws InterruptedException {
        return receive(Long.MAX_VALUE);
    }

    @Override
    public Message<M> receive(Duration timeout) throws InterruptedException {
        return receive(timeout.toNanos());
    }

    private Message<M> receive(long timeoutNanos) throws InterruptedException {
        if (takenAt != 0) {
            long took = RuntimeClock.system().nanoTime() - takenAt;
            processingEma = processingEma == 0 ? took : processingEma + EMA_WEIGHT * (took - processingEma);
            processing.setRelease(Double.doubleToRawLongBits(processingEma));
            takenAt = 0;
        }
        long deadline = timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE
                : RuntimeClock.system().nanoTime() + timeoutNanos;
        idle.reset();
        while (true) {
            if (stopSelf || stop.get() != 0) {
                throw new AgentStoppingException("agent " + real.name() + " is stopping");
            }
            int n;
            try {
                n = ring.read(this, 1);
            } catch (FrameDecodeException e) {
                throw new IllegalStateException("the ring to the child is corrupt: " + e.getMessage(), e);
            }
            Message<M> m = next;
            if (m != null) {
                next = null;
                current = m;
                if (((takenCount - 1) & SAMPLE_MASK) == 0) { // the first, then every 16th
                    takenAt = RuntimeClock.system().nanoTime();
                }
                return m;
            }
            if (n == 0) {
                if (deadline != Long.MAX_VALUE && RuntimeClock.system().nanoTime() - deadline > 0) {
                    return null;
                }
                idle.idle();
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onRecord(int type, MutableDirectBuffer buffer, int index, int length) {
        Frames.Frame f;
        try {
            f = Frames.read(type, buffer, index, length, side.codec(), side.book());
        } catch (FrameDecodeException e) {
            refused.incrementRelease();
            System.err.println("myrmex child: refused a frame: " + e.getMessage());
            return;
        }
        if (f.type() == FrameDescriptor.BOUNCED) { // for an address of this side: an ask here fails at once
            consumed(ring.head());
            try {
                side.book().bounced(f);
            } catch (FrameDecodeException e) {
                refused.incrementRelease();
                System.err.println("myrmex child: refused a frame: " + e.getMessage());
            }
            return;
        }
        if (f.type() != FrameDescriptor.MESSAGE) {
            refused.incrementRelease();
            return;
        }
        if (f.target() == Addresses.HOSTED) { // taken: steps 2 and 3 of the class comment
            slot(takenCount + 1).setRelease(ring.head());
            taken.setRelease(++takenCount);
            next = (Message<M>) (Message<?>) f.message();
            return;
        }
        consumed(ring.head()); // passed on, not taken: consumed before it reaches the other agent
        try { // for another agent of the child's runtime, one the behavior spawned and gave out
            AgentRef<Sendable> to = (AgentRef<Sendable>) side.book().tagAt(f.target());
            Hosting.get().send(to, f.message().payload(), f.message().sender());
        } catch (FrameDecodeException | RuntimeException e) {
            refused.incrementRelease();
            System.err.println("myrmex child: could not deliver a message: " + e);
        }
    }

    @Override
    public <R extends Sendable> void reply(Request<?, R> request, R reply) {
        Objects.requireNonNull(request, "request");
        Message<M> m = current;
        if (m == null || m.payload() != request) {
            throw new IllegalStateException("reply(" + request + ", ...): agent " + real.name() + " is not processing "
                    + "that request now (it processes " + (m == null ? "none" : m.payload()) + "); keep the "
                    + "message's replyTo(request) to reply later");
        }
        reply(m, reply);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void reply(Message<?> request, Sendable reply) {
        Tag to = request.sender();
        if (to == null) {
            throw new IllegalStateException("the message has no sender to reply to: it came from outside any agent");
        }
        Hosting.get().send((AgentRef<Sendable>) to, reply, self);
    }

    @Override
    public void stopSelf() {
        stopSelf = true;
    }

    @Override
    public void heartbeat() {
        real.heartbeat();
    }

    @Override
    public void result(Object value) {
        real.result(value);
    }

    @Override
    public AgentRuntime runtime() {
        return real.runtime();
    }
}
