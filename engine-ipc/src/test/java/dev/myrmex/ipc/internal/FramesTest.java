package dev.myrmex.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.Iso;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.Val;
import dev.myrmex.ipc.CodecException;
import dev.myrmex.ipc.FrameDecodeException;
import dev.myrmex.ipc.RecordCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FramesTest {
    enum Side { BUY, SELL }

    record Fill(long qty, double price) implements Val {
    }

    record Order(boolean urgent, byte b, short s, char c, int i, long l, float f, double d, Integer boxed,
                 String symbol, String none, Side side, List<Fill> fills, List<String> notes, AgentRef<Order> replyTo)
            implements Val {
        Order {
            fills = List.copyOf(fills);
            notes = List.copyOf(notes);
        }
    }

    record Stamped(Instant at) implements Val {
    }

    record Checked(int positive) implements Val {
        Checked {
            if (positive <= 0) {
                throw new IllegalArgumentException("not positive: " + positive);
            }
        }
    }

    private final RecordCodec codec = new RecordCodec();
    private AgentRuntime rt;
    private AddressBook book;
    private ManyToOneRingBuffer ring;
    private AgentHandle<Order> agent;

    @BeforeEach
    void setUp() {
        rt = AgentRuntime.builder().workers(1).build();
        rt.start();
        agent = rt.spawn("a", ctx -> ctx.receive());
        book = new AddressBook(rt, Addresses.Side.PARENT, "test", new NoOutbound());
        ring = new ManyToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(
                64 * 1024 + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    @AfterEach
    void tearDown() {
        rt.close();
    }

    private Order order() {
        return new Order(true, (byte) -3, (short) 300, 'é', 42, Long.MIN_VALUE, 1.5f, Math.PI, null, "ACME 😀",
                null, Side.SELL, List.of(new Fill(10, 99.5), new Fill(5, 100.25)), List.of("a", ""), agent.ref());
    }

    private Frames.Frame roundTrip(Sendable payload) throws FrameDecodeException {
        assertTrue(Frames.writeMessage(ring, payload, Addresses.NONE, Addresses.HOSTED, 77, codec, book));
        List<Frames.Frame> out = new ArrayList<>();
        List<FrameDecodeException> errors = new ArrayList<>();
        ring.read((type, buffer, index, length) -> {
            try {
                out.add(Frames.read(type, buffer, index, length, codec, book));
            } catch (FrameDecodeException e) {
                errors.add(e);
            }
        });
        if (!errors.isEmpty()) {
            throw errors.getFirst();
        }
        assertEquals(1, out.size());
        return out.getFirst();
    }

    @Test
    void aRecordOfEveryComponentKindComesBackEqual() throws Exception {
        Frames.Frame f = roundTrip(order());
        assertEquals(order(), f.message().payload());
        assertEquals(77, f.message().enqueuedNanos());
        assertNull(f.message().sender());
        assertSame(agent.ref(), ((Order) f.message().payload()).replyTo(), "a reference comes back as itself");
    }

    @Test
    void isoBuffersCrossAsTheirBytes() throws Exception {
        ByteBuffer bb = ByteBuffer.wrap("hello, child".getBytes(StandardCharsets.UTF_8));
        bb.position(7); // only the remaining bytes travel
        Iso<?> got = (Iso<?>) roundTrip(Iso.of(bb)).message().payload();
        assertEquals(ByteBuffer.wrap("child".getBytes(StandardCharsets.UTF_8)), got.get());
        Iso<?> arr = (Iso<?>) roundTrip(Iso.of(new byte[] {1, 2, 3})).message().payload();
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) arr.get());
    }

    @Test
    void aTagCrossesAsAnAddress() throws Exception {
        assertSame(agent.ref(), roundTrip(agent.ref()).message().payload());
    }

    @Test
    void whatCannotCrossIsRefusedAtTheSenderWithTheReason() {
        CodecException e = assertThrows(CodecException.class,
                () -> Frames.writeMessage(ring, new Stamped(Instant.EPOCH), 0, Addresses.HOSTED, 0, codec, book));
        assertTrue(e.getMessage().contains("component at of " + Stamped.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("java.time.Instant"), e.getMessage());
        CodecException iso = assertThrows(CodecException.class, () -> Frames.writeMessage(ring,
                Iso.of(new StringBuilder()), 0, Addresses.HOSTED, 0, codec, book));
        assertTrue(iso.getMessage().contains("ByteBuffer or a byte[]"), iso.getMessage());
        CodecException big = assertThrows(CodecException.class, () -> Frames.writeMessage(ring,
                Iso.of(new byte[64 * 1024]), 0, Addresses.HOSTED, 0, codec, book));
        assertTrue(big.getMessage().contains("larger than the ring's largest"), big.getMessage());
        assertEquals(0, ring.size(), "nothing was left in the ring");
    }

    @Test
    void aConstructorThatRefusesTheDecodedValuesIsADecodeError() {
        // written by hand: the sender could never make a Checked(0): one component, an INT (kind 5) of 0
        UnsafeBuffer b = new UnsafeBuffer(new byte[256]);
        int length = handWrittenRecord(b, Checked.class.getName(), 1, (byte) 5, (byte) 0, (byte) 0, (byte) 0,
                (byte) 0);
        FrameDecodeException e = assertThrows(FrameDecodeException.class,
                () -> Frames.read(FrameDescriptor.MESSAGE, b, 0, length, codec, book));
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
    }

    @Test
    void aFrameNamingAClassThatIsNotAValIsRefusedWithoutLoadingIt() {
        UnsafeBuffer b = new UnsafeBuffer(new byte[256]);
        int length = handWrittenRecord(b, "java.lang.ProcessBuilder", 0);
        FrameDecodeException e = assertThrows(FrameDecodeException.class,
                () -> Frames.read(FrameDescriptor.MESSAGE, b, 0, length, codec, book));
        assertTrue(e.getMessage().contains("not a Val"), e.getMessage());
    }

    /**
     * Writes a frame whose payload is a RECORD (kind 11) of class {@code className} with {@code components} components
     * encoded as {@code body}, bypassing the encoder; returns the frame's length.
     */
    private static int handWrittenRecord(UnsafeBuffer b, String className, int components, byte... body) {
        byte[] name = className.getBytes(StandardCharsets.UTF_8);
        int at = FrameDescriptor.HEADER_LENGTH;
        b.putByte(at++, (byte) 11);
        b.putShort(at, (short) name.length);
        b.putBytes(at + 2, name);
        at += 2 + name.length;
        b.putByte(at++, (byte) components);
        b.putBytes(at, body);
        at += body.length;
        writeHeader(b, at - FrameDescriptor.HEADER_LENGTH);
        return at;
    }

    private static void writeHeader(UnsafeBuffer b, int payloadLength) {
        b.putShort(FrameDescriptor.VERSION_OFFSET, FrameDescriptor.VERSION);
        b.putInt(FrameDescriptor.PAYLOAD_LENGTH_OFFSET, payloadLength);
        b.putLong(FrameDescriptor.TARGET_OFFSET, Addresses.HOSTED);
    }

    /** Valid frames of each kind, as bytes: the seeds the mutation property starts from. */
    private List<byte[]> seeds() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (Sendable p : List.<Sendable>of(order(), Iso.of(new byte[] {9, 8, 7}), agent.ref(), new Fill(1, 2))) {
            assertTrue(Frames.writeMessage(ring, p, Addresses.Side.PARENT.mint(agent.ref().id()), Addresses.HOSTED,
                    5, codec, book));
        }
        assertTrue(Frames.writeEnded(ring, FrameDescriptor.OUTCOME_FAILED, "boom"));
        assertTrue(Frames.writeBounced(ring, Addresses.Side.PARENT.mint(agent.ref().id()),
                DeadLetter.Reason.AGENT_FAILED, "java.lang.IllegalStateException: boom"));
        ring.read((type, buffer, index, length) -> {
            byte[] bytes = new byte[length + 4];
            new UnsafeBuffer(bytes).putInt(0, type);
            buffer.getBytes(index, bytes, 4, length);
            seeds.add(bytes);
        });
        return seeds;
    }

    /** Decodes {@code bytes} (type, then frame); returns true if decoded, false if refused with our error. */
    private boolean decode(byte[] bytes) {
        UnsafeBuffer b = new UnsafeBuffer(bytes);
        int type = bytes.length >= 4 ? b.getInt(0) : 0;
        try {
            Frames.read(type, b, 4, Math.max(0, bytes.length - 4), codec, book);
            return true;
        } catch (FrameDecodeException expected) {
            return false;
        }
    }

    @Test
    void aBouncedFrameCarriesItsTargetReasonAndCauseAndABadReasonIsRefused() throws Exception {
        long target = Addresses.Side.PARENT.mint(agent.ref().id());
        for (DeadLetter.Reason reason : DeadLetter.Reason.values()) {
            assertTrue(Frames.writeBounced(ring, target, reason, reason == DeadLetter.Reason.AGENT_FAILED ? "why"
                    : ""));
        }
        List<Frames.Frame> read = new ArrayList<>();
        List<byte[]> raw = new ArrayList<>();
        ring.read((type, buffer, index, length) -> {
            byte[] bytes = new byte[length + 4];
            new UnsafeBuffer(bytes).putInt(0, type);
            buffer.getBytes(index, bytes, 4, length);
            raw.add(bytes);
            try {
                read.add(Frames.read(type, buffer, index, length, codec, book));
            } catch (FrameDecodeException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(DeadLetter.Reason.values().length, read.size());
        for (Frames.Frame f : read) {
            assertEquals(FrameDescriptor.BOUNCED, f.type());
            assertEquals(target, f.target());
            assertEquals(f.bouncedReason() == DeadLetter.Reason.AGENT_FAILED ? "why" : "", f.text());
        }
        assertEquals(List.of(DeadLetter.Reason.values()), read.stream().map(Frames.Frame::bouncedReason).toList());

        byte[] bad = raw.getFirst().clone();
        bad[4 + FrameDescriptor.HEADER_LENGTH] = (byte) DeadLetter.Reason.values().length; // one past the last
        assertFalse(decode(bad), "a reason no build writes");
        byte[] untargeted = raw.getFirst().clone();
        new UnsafeBuffer(untargeted).putLong(4 + FrameDescriptor.TARGET_OFFSET, Addresses.NONE);
        assertFalse(decode(untargeted), "a bounce for nobody");
    }

    @Test
    void seedsDecode() throws Exception {
        for (byte[] s : seeds()) {
            assertTrue(decode(s));
        }
    }

    @Test
    void mutatedFramesYieldOnlyTheTypedDecodeError() throws Exception {
        List<byte[]> seeds = seeds();
        int[] refused = {0};
        qt().withExamples(20_000).withShrinkCycles(0)
                .forAll(integers().between(0, seeds.size() - 1), longs().all(), integers().between(1, 8))
                .checkAssert((which, seed, flips) -> {
                    byte[] bytes = seeds.get(which).clone();
                    SplittableRandom r = new SplittableRandom(seed);
                    for (int k = 0; k < flips; k++) {
                        int at = 4 + r.nextInt(bytes.length - 4);
                        switch (r.nextInt(3)) {
                            case 0 -> bytes[at] ^= (byte) (1 << r.nextInt(8));
                            case 1 -> bytes[at] = (byte) r.nextInt(256);
                            default -> bytes[at] = (byte) (r.nextBoolean() ? 0x7F : 0xFF); // big lengths
                        }
                    }
                    if (!decode(bytes)) {
                        refused[0]++;
                    }
                });
        assertTrue(refused[0] > 5_000, "most mutations are caught: " + refused[0]);
    }

    @Test
    void randomBytesYieldOnlyTheTypedDecodeError() {
        qt().withExamples(20_000).withShrinkCycles(0)
                .forAll(longs().all(), integers().between(0, 400))
                .checkAssert((seed, length) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    byte[] bytes = new byte[length + 4];
                    for (int i = 0; i < bytes.length; i++) {
                        bytes[i] = (byte) r.nextInt(256);
                    }
                    UnsafeBuffer b = new UnsafeBuffer(bytes);
                    b.putInt(0, 1 + r.nextInt(3)); // a known type, so the header checks are what refuse it
                    if (length >= FrameDescriptor.HEADER_LENGTH && r.nextBoolean()) { // and often a valid header
                        b.putShort(4 + FrameDescriptor.VERSION_OFFSET, FrameDescriptor.VERSION);
                        b.putInt(4 + FrameDescriptor.PAYLOAD_LENGTH_OFFSET, length - FrameDescriptor.HEADER_LENGTH);
                        b.putByte(4 + FrameDescriptor.CAPABILITY_OFFSET, (byte) r.nextInt(3));
                        b.putByte(4 + FrameDescriptor.ISO_KIND_OFFSET, (byte) 0);
                        b.putLong(4 + FrameDescriptor.SENDER_OFFSET, 0);
                        b.putLong(4 + FrameDescriptor.TARGET_OFFSET, Addresses.HOSTED);
                    }
                    decode(bytes);
                });
        assertFalse(decode(new byte[0]));
    }

    @Test
    void aSenderAddressResolvesToTheExportedReference() throws Exception {
        long address = book.addressOf(agent.ref());
        assertTrue(Frames.writeMessage(ring, new Fill(1, 1), address, Addresses.HOSTED, 0, codec, book));
        List<Message<Sendable>> got = new ArrayList<>();
        ring.read((type, buffer, index, length) -> {
            try {
                got.add(Frames.read(type, buffer, index, length, codec, book).message());
            } catch (FrameDecodeException e) {
                throw new AssertionError(e);
            }
        });
        assertSame(agent.ref(), got.getFirst().sender());
    }
}
