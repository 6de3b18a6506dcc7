package dev.myrmex.ipc.internal;

import static org.agrona.concurrent.ringbuffer.RecordDescriptor.ALIGNMENT;
import static org.agrona.concurrent.ringbuffer.RecordDescriptor.HEADER_LENGTH;

import dev.myrmex.core.time.RuntimeClock;
import dev.myrmex.ipc.FrameDecodeException;
import java.util.function.LongConsumer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The consumer of one of a channel's rings: every reader of a ring (the child's {@code receive}, the parent's reader
 * thread and its helpers, the parent's drain of what a dead child never took) reads through this class, never through
 * Agrona's own {@code read}. It walks Agrona's record layout ({@code RecordDescriptor}: length, type, message, each
 * record aligned to 8; a padding record fills the end of the buffer where a record did not fit) with two differences:
 * <ol>
 *   <li><b>It goes on until no committed record is left.</b> Agrona's {@code read} stops at the end of the buffer and
 *       does not count padding, so a call that only skips the padding there returns 0 with committed records waiting
 *       at index 0; a loop "read until it returns 0" stops there and leaves them behind. Here a read goes on across the
 *       padding and the wrap until its limit, an empty ring, or a record claimed but not yet committed.</li>
 *   <li><b>It trusts nothing it reads.</b> A child may write anything over its channel. Every record length is checked
 *       before a byte of the record is touched: at least a record header, within the buffer, no longer than the ring's
 *       largest message (padding excepted); a type must be Agrona's padding or positive; the tail must lie within one
 *       capacity ahead of the head. A violation is a {@link FrameDecodeException}, never an index out of bounds or an
 *       allocation sized by a forged number. The head is kept here: it is read from the ring's trailer once, when the
 *       reader is made, and only written afterwards (for the producers), so a writer that forges the trailer cannot
 *       move it.</li>
 *   <li><b>Its consumer may die at any instruction.</b> Agrona zeroes what it consumed, then publishes the head: a
 *       consumer killed between the two leaves zeroes at the head, which read as "not committed yet" for ever, and
 *       everything behind them would be lost with it. A reader made with a {@code consumedUpTo} callback publishes,
 *       before it zeroes anything, the position up to which it has consumed; whoever consumes next
 *       {@linkplain #skipTo skips to} that position (see {@link RingContext} for how the child makes this exact).</li>
 * </ol>
 *
 * <h2>Contract</h2>
 * One thread at a time reads (the ring's single consumer: the caller's lock or thread confinement orders successive
 * callers); producers are any threads of any process. A record is consumed once the handler has been called on it,
 * whether the handler returns or throws: its bytes are zeroed (producers rely on zeroed memory past the tail, as in
 * Agrona) and then the head is published with a release store, after the handler has read the record.
 */
final class RingReader {
    /** What a reader does with a record. */
    @FunctionalInterface
    interface RecordHandler {
        /** The {@code length} bytes at {@code index} are the message of a committed record of type {@code type}. */
        void onRecord(int type, MutableDirectBuffer buffer, int index, int length) throws FrameDecodeException;
    }

    private final AtomicBuffer buffer;
    private final LongConsumer consumedUpTo;
    private final int capacity;
    private final int maxMsgLength;
    private final int headPositionIndex;
    private final int tailPositionIndex;
    private long head;
    /** The head position at which the last read found a record claimed and not yet committed, or -1. */
    private long blockedAt = -1;

    RingReader(RingBuffer ring) {
        this(ring, position -> { });
    }

    /**
     * A reader that tells {@code consumedUpTo} the position up to which it has consumed, each time before it zeroes
     * what it consumed: a consumer that may die between the two (a child process) publishes there what the next
     * consumer must skip ({@link #skipTo}).
     */
    RingReader(RingBuffer ring, LongConsumer consumedUpTo) {
        this.buffer = ring.buffer();
        this.consumedUpTo = consumedUpTo;
        this.capacity = ring.capacity();
        this.maxMsgLength = ring.maxMsgLength();
        this.headPositionIndex = capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET;
        this.tailPositionIndex = capacity + RingBufferDescriptor.TAIL_POSITION_OFFSET;
        this.head = buffer.getLongVolatile(headPositionIndex);
    }

    /**
     * Hands up to {@code limit} committed records to {@code handler}, in ring order, across padding and the end of the
     * buffer; stops early at an empty ring or at a record claimed but not committed ({@link #blocked}).
     *
     * @return how many records the handler was given (padding is not counted)
     * @throws FrameDecodeException if the ring holds what no producer of this protocol writes, or the handler refused
     *                              a record (which then counts as consumed)
     */
    int read(RecordHandler handler, int limit) throws FrameDecodeException {
        checkHead();
        blockedAt = -1;
        int delivered = 0;
        int blockStart = index(head);
        int blockBytes = 0;
        try {
            while (delivered < limit) {
                int at = index(head);
                if (at == 0 && blockBytes > 0) { // wrapped: release the block that ended at the buffer's end
                    release(blockStart, blockBytes);
                    blockStart = 0;
                    blockBytes = 0;
                }
                int length = buffer.getIntVolatile(at);
                if (length <= 0) {
                    checkUncommitted(at, length);
                    break;
                }
                int type = buffer.getInt(at + 4);
                int span = checkCommitted(at, length, type);
                head += span;
                blockBytes += span;
                if (type == RingBuffer.PADDING_MSG_TYPE_ID) {
                    continue;
                }
                delivered++;
                handler.onRecord(type, buffer, at + HEADER_LENGTH, length - HEADER_LENGTH);
            }
        } finally {
            if (blockBytes > 0) {
                release(blockStart, blockBytes);
            }
        }
        return delivered;
    }

    /**
     * Hands every record committed before the tail as it stands now to {@code handler}, and what is committed after it
     * while this runs; a record claimed below that tail and not yet committed is waited for (its producer is a live
     * thread between claim and commit) for at most {@code maxWaitNanos}, after which it counts as corruption: no
     * producer of ours holds a claim that long.
     *
     * @return how many records the handler was given
     * @throws FrameDecodeException as {@link #read}, or for a claim that was never committed
     */
    int drain(RecordHandler handler, long maxWaitNanos) throws FrameDecodeException {
        long end = tail();
        if (end - head < 0 || end - head > capacity) {
            throw corrupt("tail " + end + " is not within one capacity (" + capacity + ") ahead of the head " + head);
        }
        int delivered = 0;
        long waitingSince = 0;
        while (true) {
            delivered += read(handler, Integer.MAX_VALUE);
            if (head - end >= 0) {
                return delivered;
            }
            long now = RuntimeClock.system().nanoTime();
            if (waitingSince == 0) {
                waitingSince = now;
            } else if (now - waitingSince > maxWaitNanos) {
                throw corrupt("the record at position " + head + " was claimed and not committed for "
                        + (maxWaitNanos / 1_000_000) + " ms");
            }
            Thread.yield(); // the producer is between its claim and its commit: let it run
        }
    }

    /**
     * When every producer is dead: hands every committed record to {@code handler}, skipping what a dead producer left
     * claimed and never committed (a negative length, or a zeroed header below the tail, as Agrona's {@code unblock}
     * finds them), until the ring is empty.
     *
     * @return how many such torn records were skipped
     * @throws FrameDecodeException as {@link #read}
     */
    int drainAbandoned(RecordHandler handler) throws FrameDecodeException {
        int torn = 0;
        while (true) {
            read(handler, Integer.MAX_VALUE);
            if (blockedAt == -1) {
                return torn;
            }
            skipTorn();
            torn++;
        }
    }

    /** Skips the uncommitted record at the head, which {@link #read} found below the tail, zeroing it. */
    private void skipTorn() {
        int at = index(head);
        int length = buffer.getIntVolatile(at);
        int span;
        if (length < 0) { // checked by the read that stopped here: it fits below the tail
            span = (int) align(-(long) length);
        } else { // the producer died between its claim and its first write: skip the zeroes
            int limit = (int) Math.min(capacity, at + (tail() - head));
            span = limit - at;
            for (int i = at + ALIGNMENT; i < limit; i += ALIGNMENT) {
                if (buffer.getIntVolatile(i) != 0) {
                    span = i - at;
                    break;
                }
            }
        }
        head += span;
        release(at, span);
    }

    /**
     * Gives up on what is left, after corruption (it cannot be read): zeroes the bytes between the head and the tail
     * as it stands now and moves the head there. A record claimed after that tail is left alone.
     *
     * @return the bytes discarded, or -1 if the head or tail is forged (then nothing is touched)
     */
    long discardRest() {
        long tail = tail();
        long bytes = tail - head;
        if (bytes < 0 || bytes > capacity || ((head | tail) & (ALIGNMENT - 1)) != 0) {
            return -1;
        }
        zeroAndMoveTo(tail);
        return bytes;
    }

    /**
     * Moves the head to {@code position}, zeroing what lies before it: what a dead consumer had consumed, as it
     * published before it died, and may have left half zeroed.
     *
     * @throws FrameDecodeException if {@code position} is not an aligned position between the head and the tail
     */
    void skipTo(long position) throws FrameDecodeException {
        checkHead();
        long bytes = position - head;
        if (bytes == 0) {
            return;
        }
        if (bytes < 0 || bytes > tail() - head || (position & (ALIGNMENT - 1)) != 0) {
            throw corrupt("consumed-up-to position " + position + " is not between the head " + head + " and the tail "
                    + tail());
        }
        zeroAndMoveTo(position);
    }

    /**
     * Zeroes from the head to {@code position} (at most a capacity ahead, across the wrap) and moves the head there.
     */
    private void zeroAndMoveTo(long position) {
        long bytes = position - head;
        int at = index(head);
        int first = (int) Math.min(bytes, capacity - at);
        buffer.setMemory(at, first, (byte) 0);
        buffer.setMemory(0, (int) (bytes - first), (byte) 0);
        head = position;
        buffer.putLongRelease(headPositionIndex, head);
    }

    /** The head position at which the last read stopped at a record claimed and not committed, or -1. */
    long blocked() {
        return blockedAt;
    }

    /** This reader's head position. */
    long head() {
        return head;
    }

    private long tail() {
        return buffer.getLongVolatile(tailPositionIndex);
    }

    private int index(long position) {
        return (int) position & (capacity - 1);
    }

    private static long align(long length) {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }

    private void release(int from, int bytes) {
        consumedUpTo.accept(head);
        buffer.setMemory(from, bytes, (byte) 0);
        buffer.putLongRelease(headPositionIndex, head);
    }

    /** The head comes from the trailer once (a producer may have forged it) and moves by aligned spans after. */
    private void checkHead() throws FrameDecodeException {
        if ((head & (ALIGNMENT - 1)) != 0) {
            throw corrupt("head position " + head + " is not aligned to " + ALIGNMENT);
        }
    }

    /** Checks a committed record; returns the bytes it spans (its length, aligned). */
    private int checkCommitted(int at, int length, int type) throws FrameDecodeException {
        if (length < HEADER_LENGTH || at + align(length) > capacity) {
            throw corrupt("record length " + length + " at index " + at + " does not fit the ring (capacity "
                    + capacity + ")");
        }
        int span = (int) align(length);
        if (type == RingBuffer.PADDING_MSG_TYPE_ID) {
            return span;
        }
        if (type <= 0) {
            throw corrupt("record type " + type + " at index " + at);
        }
        if (length - HEADER_LENGTH > maxMsgLength) {
            throw corrupt("record of " + length + " bytes at index " + at + " is longer than the ring's largest"
                    + " message (" + maxMsgLength + ")");
        }
        return span;
    }

    /**
     * Checks the head record whose length is not positive: the ring is empty (length 0 at the tail), or a producer
     * claimed it and has not committed yet (a negative length that fits, or 0 below the tail). Anything else is forged.
     */
    private void checkUncommitted(int at, int length) throws FrameDecodeException {
        long ahead = tail() - head; // read after the length: a claim seen in the length is seen in the tail
        if (ahead < 0 || ahead > capacity) {
            throw corrupt("tail " + (head + ahead) + " is not within one capacity (" + capacity + ") ahead of the"
                    + " head " + head);
        }
        if (length < 0) {
            long claimed = -(long) length;
            if (claimed < HEADER_LENGTH || at + align(claimed) > capacity || align(claimed) > ahead) {
                throw corrupt("claimed record length " + length + " at index " + at + " does not fit the ring"
                        + " (capacity " + capacity + ", " + ahead + " bytes claimed)");
            }
        }
        if (ahead != 0) {
            blockedAt = head;
        }
    }

    private FrameDecodeException corrupt(String what) {
        return new FrameDecodeException("corrupt ring: " + what);
    }
}
