package dev.myrmex.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.myrmex.core.Iso;
import dev.myrmex.core.Tag;
import dev.myrmex.ipc.FrameDecodeException;
import dev.myrmex.ipc.MessageCodec;
import dev.myrmex.ipc.RecordCodec;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RingReaderTest {
    /** A 1 MB ring: its largest message is 128 KB, the bound on what reading one record may allocate. */
    private static final int CAPACITY = 1 << 20;
    private static final int PAYLOAD = 1000; // records of 1008 bytes: 65 fill a 64 KB ring but for 16 bytes

    private static final MessageCodec.TagTable NO_TAGS = new MessageCodec.TagTable() {
        @Override
        public long addressOf(Tag tag) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Tag tagAt(long address) throws FrameDecodeException {
            throw new FrameDecodeException("no references here");
        }
    };

    private final RecordCodec codec = new RecordCodec();

    private static ManyToOneRingBuffer ring(int capacity) {
        return new ManyToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(
                capacity + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /** A copy of {@code ring}'s memory (records and trailer), for running another reader on the same state. */
    private static ManyToOneRingBuffer copy(ManyToOneRingBuffer ring) {
        ManyToOneRingBuffer twin = ring(ring.capacity());
        twin.buffer().putBytes(0, ring.buffer(), 0, ring.buffer().capacity());
        return twin;
    }

    private static void write(RingBuffer ring, int n, int firstMark) {
        UnsafeBuffer msg = new UnsafeBuffer(new byte[PAYLOAD]);
        for (int i = 0; i < n; i++) {
            msg.putInt(0, firstMark + i);
            assertTrue(ring.write(FrameDescriptor.MESSAGE, msg, 0, PAYLOAD));
        }
    }

    /**
     * The state of every lossy run in issue 19: the head just before the padding record at the end of the buffer, three
     * committed records after the wrap (marked 100, 101, 102).
     */
    private static ManyToOneRingBuffer headAtThePadding() throws FrameDecodeException {
        ManyToOneRingBuffer ring = ring(64 << 10);
        write(ring, 65, 0); // up to 16 bytes short of the end
        assertEquals(65, new RingReader(ring).read((t, b, i, l) -> { }, Integer.MAX_VALUE));
        write(ring, 3, 100); // the first does not fit before the end: padding there, the records from index 0
        assertEquals((64 << 10) - 16, ring.consumerPosition());
        return ring;
    }

    @Test
    void aDrainGoesOnPastThePaddingAtTheEndOfTheBuffer() throws FrameDecodeException {
        ManyToOneRingBuffer ring = headAtThePadding();

        // The broken twin: the loop the issue found, on Agrona's read, leaves all three behind, its head now at a
        // multiple of the capacity with a committed record there.
        ManyToOneRingBuffer twin = copy(ring);
        List<Integer> old = new ArrayList<>();
        int n;
        do {
            n = twin.read((t, b, i, l) -> old.add(b.getInt(i)));
        } while (n > 0);
        assertEquals(List.of(), old, "the old loop stops at the padding");
        assertEquals(0, twin.consumerPosition() % twin.capacity());
        assertEquals(3 * 1008, twin.size(), "three committed records are left behind");

        List<Integer> got = new ArrayList<>();
        assertEquals(3, new RingReader(ring).drain((t, b, i, l) -> got.add(b.getInt(i)), 1_000_000_000L));
        assertEquals(List.of(100, 101, 102), got);
        assertEquals(ring.producerPosition(), ring.consumerPosition(), "nothing is left");
    }

    @Test
    void aReadOfOneMessageGoesOnPastThePadding() throws FrameDecodeException {
        RingReader reader = new RingReader(headAtThePadding());
        List<Integer> got = new ArrayList<>();
        assertEquals(1, reader.read((t, b, i, l) -> got.add(b.getInt(i)), 1), "the receive of a child takes one");
        assertEquals(List.of(100), got);
    }

    @Test
    void oneReadCrossesTheEndOfTheBuffer() throws FrameDecodeException {
        ManyToOneRingBuffer ring = ring(64 << 10);
        write(ring, 65, 0);
        RingReader reader = new RingReader(ring);
        assertEquals(60, reader.read((t, b, i, l) -> { }, 60));
        write(ring, 3, 100);
        List<Integer> got = new ArrayList<>();
        assertEquals(8, reader.read((t, b, i, l) -> got.add(b.getInt(i)), Integer.MAX_VALUE));
        assertEquals(List.of(60, 61, 62, 63, 64, 100, 101, 102), got);
        assertEquals(-1, reader.blocked(), "stopped at an empty ring, not at a claim");
    }

    @Test
    void aClaimLeftByADeadWriterIsSkippedAndReadingGoesOn() throws FrameDecodeException {
        ManyToOneRingBuffer ring = ring(64 << 10);
        write(ring, 1, 1);
        int torn = ring.tryClaim(FrameDescriptor.MESSAGE, 64); // claimed, never committed
        assertTrue(torn > 0);
        long tail = ring.producerPosition();
        // a writer that died between its claim (the tail moved) and its first write (the header is still zero)
        ring.buffer().putLong(ring.capacity() + RingBufferDescriptor.TAIL_POSITION_OFFSET, tail + 64);
        RingReader reader = new RingReader(ring);
        List<Integer> got = new ArrayList<>();
        assertEquals(1, reader.read((t, b, i, l) -> got.add(b.getInt(i)), Integer.MAX_VALUE));
        assertEquals(ring.consumerPosition(), reader.blocked(), "the claim blocks the ring");
        assertEquals(2, reader.drainAbandoned((t, b, i, l) -> got.add(b.getInt(i))), "both torn records skipped");
        write(ring, 1, 2);
        assertEquals(1, reader.read((t, b, i, l) -> got.add(b.getInt(i)), Integer.MAX_VALUE));
        assertEquals(List.of(1, 2), got);
        assertEquals(ring.producerPosition(), ring.consumerPosition());
    }

    @Test
    void aClaimNeverCommittedEndsADrainAfterItsWait() {
        ManyToOneRingBuffer ring = ring(64 << 10);
        assertTrue(ring.tryClaim(FrameDescriptor.MESSAGE, 64) > 0);
        FrameDecodeException e = assertThrows(FrameDecodeException.class,
                () -> new RingReader(ring).drain((t, b, i, l) -> { }, 1_000_000L));
        assertTrue(e.getMessage().contains("claimed and not committed"), e.getMessage());
    }

    @Test
    void aStalledClaimBlocksTheRingWithoutAnError() throws FrameDecodeException {
        ManyToOneRingBuffer ring = ring(CAPACITY);
        RingReader reader = new RingReader(ring);
        Corruption.STALLED_CLAIM.apply(ring, 19);
        assertEquals(0, reader.read(this::decode, Integer.MAX_VALUE));
        assertEquals(0, reader.blocked(), "blocked at the head; the parent's watcher decides how long is too long");
    }

    /** Decodes a record as the parent's reader does. */
    private void decode(int type, org.agrona.MutableDirectBuffer b, int index, int length)
            throws FrameDecodeException {
        Frames.read(type, b, index, length, codec, NO_TAGS);
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Reads and decodes one frame of each kind the corruptions forge, so that class loading is not measured. */
    private void warmUp() throws FrameDecodeException {
        ManyToOneRingBuffer ring = ring(CAPACITY);
        assertTrue(Frames.writeMessage(ring, new Corruption.Text("x"), 0, Addresses.HOSTED, 0, codec, NO_TAGS));
        assertTrue(Frames.writeMessage(ring, new Corruption.Numbers(List.of(1L)), 0, Addresses.HOSTED, 0, codec,
                NO_TAGS));
        assertTrue(Frames.writeMessage(ring, Iso.of(new byte[8]), 0, Addresses.HOSTED, 0, codec, NO_TAGS));
        assertEquals(3, new RingReader(ring).read(this::decode, Integer.MAX_VALUE));
        for (Corruption c : Corruption.values()) {
            if (c != Corruption.STALLED_CLAIM) {
                ManyToOneRingBuffer r = ring(CAPACITY);
                RingReader reader = new RingReader(r);
                c.apply(r, 19);
                try {
                    reader.read(this::decode, Integer.MAX_VALUE);
                } catch (FrameDecodeException | RuntimeException checkedByTheTestsProper) {
                    // only loading the classes that refusing it takes
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Corruption.class, mode = EnumSource.Mode.EXCLUDE, names = "STALLED_CLAIM")
    void aCorruptRingIsATypedErrorNeverAnAllocationSizedByAForgedLength(Corruption c) throws FrameDecodeException {
        warmUp();
        ManyToOneRingBuffer ring = ring(CAPACITY);
        RingReader reader = new RingReader(ring);
        c.apply(ring, 19);
        List<Integer> delivered = new ArrayList<>();
        long before = allocatedByThisThread();
        FrameDecodeException e = assertThrows(FrameDecodeException.class, () -> reader.read((t, b, i, l) -> {
            decode(t, b, i, l);
            delivered.add(t);
        }, Integer.MAX_VALUE));
        long allocated = allocatedByThisThread() - before;
        assertEquals(List.of(), delivered, "nothing corrupt is delivered");
        assertTrue(allocated < ring.maxMsgLength(), c + ": reading allocated " + allocated + " bytes, more than the"
                + " ring's largest message (" + ring.maxMsgLength() + "): " + e.getMessage());
    }

    @Test
    void randomBytesOverARingYieldOnlyTheTypedErrorAndBoundedAllocation() throws FrameDecodeException {
        warmUp();
        ManyToOneRingBuffer ring = ring(CAPACITY);
        qt().withExamples(500).withShrinkCycles(0).forAll(longs().all()).checkAssert(seed -> {
            ring.buffer().setMemory(0, ring.buffer().capacity(), (byte) 0);
            RingReader reader = new RingReader(ring); // made before the damage: its head is 0, as a new child's is
            Corruption.RANDOM_BYTES.apply(ring, seed);
            long before = allocatedByThisThread();
            try {
                reader.read(this::decode, Integer.MAX_VALUE);
            } catch (FrameDecodeException expected) {
                // the only way a read may fail
            }
            long allocated = allocatedByThisThread() - before;
            assertTrue(allocated < ring.maxMsgLength(), "seed " + seed + ": allocated " + allocated);
        });
    }
}
