package dev.myrmex.ipc.internal;

import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.mailbox.MailboxFullException;
import dev.myrmex.core.time.RuntimeClock;
import dev.myrmex.ipc.MessageCodec;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * A sender's write into a ring, with backpressure: a full ring holds the sender back (spinning briefly, then parking
 * 50 us at a time) for at most the timeout, then fails the send. Any thread; the ring orders concurrent writers.
 */
final class RingSender {
    private static final int SPINS = 100;
    private static final long PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private RingSender() {
    }

    /**
     * Writes {@code message} for {@code target}.
     *
     * @param towards   what the ring leads to, for the exception's message ("out-of-process agent x")
     * @param giveUp    checked while waiting: true abandons the send (the receiver is gone)
     * @return true if written, false if abandoned
     * @throws MailboxFullException if the ring is full and {@code mayWait} is false, or stays full past the timeout
     */
    static boolean write(RingBuffer ring, Message<? extends Sendable> message, long sender, long target,
                         MessageCodec codec, MessageCodec.TagTable tags, boolean mayWait, long timeoutNanos,
                         BooleanSupplier giveUp, String towards) throws InterruptedException {
        long deadline = 0;
        int spins = 0;
        while (!Frames.writeMessage(ring, message.payload(), sender, target, message.enqueuedNanos(), codec, tags)) {
            if (!mayWait) {
                throw new MailboxFullException("the ring to " + towards + " is full (" + ring.capacity()
                        + " bytes) and this sender may not wait");
            }
            long now = RuntimeClock.system().nanoTime();
            if (deadline == 0) {
                deadline = now + timeoutNanos;
            } else if (now - deadline > 0) {
                throw new MailboxFullException("the ring to " + towards + " stayed full for "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms; the message was not sent");
            }
            if (giveUp.getAsBoolean()) {
                return false;
            }
            if (++spins < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(PARK_NANOS);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
        return true;
    }
}
