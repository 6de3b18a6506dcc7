package dev.myrmex.ipc.internal;

import dev.myrmex.core.Tag;
import dev.myrmex.core.Val;
import dev.myrmex.ipc.MessageCodec;
import dev.myrmex.ipc.RecordCodec;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * The ways a hostile or broken writer corrupts a ring, each applied as a producer of that ring could: by the tests of
 * the reader on a ring in memory, and by a child process on its own channel (the fuzz test of a whole runtime).
 */
public enum Corruption {
    /**
     * A 48-byte frame (an {@code Iso} of 8 bytes) whose record length and payload length are forged to claim about
     * 2 GiB: a reader that trusts them allocates that much.
     */
    HUGE_LENGTH {
        @Override
        public void apply(RingBuffer ring, long seed) {
            int at = claimWithHeader(ring, FrameDescriptor.ISO, FrameDescriptor.ISO_BYTE_ARRAY, 8);
            int forged = 0x7FFF_FFF8;
            ring.buffer().putInt(at + FrameDescriptor.PAYLOAD_LENGTH_OFFSET, forged - RecordDescriptor.HEADER_LENGTH
                    - FrameDescriptor.HEADER_LENGTH);
            ring.buffer().putIntRelease(at - RecordDescriptor.HEADER_LENGTH, forged);
        }
    },
    /** A record whose length is committed as {@code Integer.MIN_VALUE}: neither a record nor a claim in progress. */
    NEGATIVE_LENGTH {
        @Override
        public void apply(RingBuffer ring, long seed) {
            int at = claimWithHeader(ring, FrameDescriptor.ISO, FrameDescriptor.ISO_BYTE_ARRAY, 8);
            ring.buffer().putIntRelease(at - RecordDescriptor.HEADER_LENGTH, Integer.MIN_VALUE);
        }
    },
    /** A record claimed and never committed by a writer that goes on running: the ring stalls behind it. */
    STALLED_CLAIM {
        @Override
        public void apply(RingBuffer ring, long seed) {
            claimWithHeader(ring, FrameDescriptor.ISO, FrameDescriptor.ISO_BYTE_ARRAY, 8);
        }
    },
    /** Random bytes over the whole ring, its trailer (head and tail positions) included. */
    RANDOM_BYTES {
        @Override
        public void apply(RingBuffer ring, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            MutableDirectBuffer b = ring.buffer();
            for (int i = 0; i + Long.BYTES <= b.capacity(); i += Long.BYTES) {
                b.putLong(i, r.nextLong());
            }
        }
    },
    /** A well-framed value whose string claims 0x7FFFFFF0 bytes. */
    HUGE_STRING {
        @Override
        public void apply(RingBuffer ring, long seed) {
            writeValue(ring, new Text(""), 4); // the encoding ends with the string's length (4 bytes), then no bytes
        }
    },
    /** A well-framed value whose list claims 0x7FFFFFF0 elements. */
    HUGE_LIST {
        @Override
        public void apply(RingBuffer ring, long seed) {
            writeValue(ring, new Numbers(List.of()), 4); // the encoding ends with the list's size, then no elements
        }
    },
    /** A well-framed 48-byte record whose frame header claims a payload of 0x7FFFFFF0 bytes. */
    HUGE_PAYLOAD {
        @Override
        public void apply(RingBuffer ring, long seed) {
            int at = claimWithHeader(ring, FrameDescriptor.ISO, FrameDescriptor.ISO_BYTE_ARRAY, 8);
            ring.buffer().putInt(at + FrameDescriptor.PAYLOAD_LENGTH_OFFSET, FORGED);
            ring.commit(at);
        }
    };

    /** A forged length, near {@code Integer.MAX_VALUE}. */
    static final int FORGED = 0x7FFF_FFF0;

    /** A value with a string, for {@link #HUGE_STRING}. */
    public record Text(String text) implements Val {
    }

    /** A value with a list, for {@link #HUGE_LIST}. */
    public record Numbers(List<Long> items) implements Val {
        public Numbers {
            items = List.copyOf(items);
        }
    }

    /** Writes this corruption into {@code ring}, as one of its producers; random choices come from {@code seed}. */
    public abstract void apply(RingBuffer ring, long seed);

    /** Claims a frame of {@code payload} bytes for the hosted agent, writes a valid header, and returns its index. */
    private static int claimWithHeader(RingBuffer ring, byte capability, byte isoKind, int payload) {
        int at = ring.tryClaim(FrameDescriptor.MESSAGE, FrameDescriptor.HEADER_LENGTH + payload);
        if (at < 0) {
            throw new IllegalStateException("the ring is full");
        }
        header(ring.buffer(), at, capability, isoKind, payload);
        return at;
    }

    private static void header(MutableDirectBuffer b, int at, byte capability, byte isoKind, int payload) {
        b.putByte(at + FrameDescriptor.CAPABILITY_OFFSET, capability);
        b.putByte(at + FrameDescriptor.ISO_KIND_OFFSET, isoKind);
        b.putShort(at + FrameDescriptor.VERSION_OFFSET, FrameDescriptor.VERSION);
        b.putInt(at + FrameDescriptor.PAYLOAD_LENGTH_OFFSET, payload);
        b.putLong(at + FrameDescriptor.SENDER_OFFSET, Addresses.NONE);
        b.putLong(at + FrameDescriptor.TARGET_OFFSET, Addresses.HOSTED);
    }

    /** Writes {@code v} as a VAL frame, its encoding's last {@code lengthAtEnd} bytes (an int) forged to FORGED. */
    private static void writeValue(RingBuffer ring, Val v, int lengthAtEnd) {
        RecordCodec codec = new RecordCodec();
        int length = codec.encodedLength(v);
        UnsafeBuffer frame = new UnsafeBuffer(new byte[FrameDescriptor.HEADER_LENGTH + length]);
        header(frame, 0, FrameDescriptor.VAL, FrameDescriptor.ISO_NONE, length);
        codec.encode(v, frame, FrameDescriptor.HEADER_LENGTH, NO_TAGS);
        frame.putInt(frame.capacity() - lengthAtEnd, FORGED);
        if (!ring.write(FrameDescriptor.MESSAGE, frame, 0, frame.capacity())) {
            throw new IllegalStateException("the ring is full");
        }
    }

    private static final MessageCodec.TagTable NO_TAGS = new MessageCodec.TagTable() {
        @Override
        public long addressOf(Tag tag) {
            throw new UnsupportedOperationException("no references in these values");
        }

        @Override
        public Tag tagAt(long address) {
            throw new UnsupportedOperationException("no references in these values");
        }
    };
}
