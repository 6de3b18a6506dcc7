package dev.myrmex.ipc.internal;

import static dev.myrmex.ipc.internal.FrameDescriptor.CAPABILITY_OFFSET;
import static dev.myrmex.ipc.internal.FrameDescriptor.CORRELATION_OFFSET;
import static dev.myrmex.ipc.internal.FrameDescriptor.ENQUEUED_OFFSET;
import static dev.myrmex.ipc.internal.FrameDescriptor.HEADER_LENGTH;
import static dev.myrmex.ipc.internal.FrameDescriptor.ISO_KIND_OFFSET;
import static dev.myrmex.ipc.internal.FrameDescriptor.PAYLOAD_LENGTH_OFFSET;
import static dev.myrmex.ipc.internal.FrameDescriptor.SENDER_OFFSET;
import static dev.myrmex.ipc.internal.FrameDescriptor.TARGET_OFFSET;
import static dev.myrmex.ipc.internal.FrameDescriptor.VERSION_OFFSET;

import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.Iso;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.Tag;
import dev.myrmex.core.Val;
import dev.myrmex.core.time.RuntimeClock;
import dev.myrmex.ipc.CodecException;
import dev.myrmex.ipc.FrameDecodeException;
import dev.myrmex.ipc.MessageCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Writes frames into a ring and reads them back, by {@link FrameDescriptor}'s layout. Stateless; safe from any thread
 * (the ring orders concurrent writers). A value is sized first and then written straight into the claimed slot; an
 * {@code Iso}'s buffer is copied once, from its memory into the ring.
 */
public final class Frames {
    /**
     * A frame read off a ring. For MESSAGE: the message with its sender resolved; for ENDED: outcome and text; for
     * BOUNCED: the dead letter's reason (as the outcome byte, see {@link #bouncedReason}) and its cause's text.
     */
    public record Frame(int type, long sender, long target, long correlation, Message<Sendable> message,
                        byte outcome, String text) {
        /** A BOUNCED frame's reason; checked to be one when it was read. */
        public DeadLetter.Reason bouncedReason() {
            return DeadLetter.Reason.values()[outcome];
        }
    }

    private Frames() {
    }

    /**
     * Writes an agent message for {@code target}.
     *
     * @return false if the ring has no room for it now
     * @throws CodecException if the payload cannot cross (an unencodable value, an {@code Iso} of something other
     *                        than bytes, larger than the ring's largest message)
     */
    public static boolean writeMessage(RingBuffer ring, Sendable payload, long sender, long target,
                                       long enqueuedNanos, MessageCodec codec, MessageCodec.TagTable tags) {
        return switch (payload) {
            case Val v -> {
                int length = codec.encodedLength(v);
                int index = claim(ring, length);
                if (index < 0) {
                    yield false;
                }
                MutableDirectBuffer b = ring.buffer();
                header(b, index, FrameDescriptor.VAL, FrameDescriptor.ISO_NONE, length, sender, target, 0,
                        enqueuedNanos);
                try {
                    codec.encode(v, b, index + HEADER_LENGTH, tags);
                } catch (RuntimeException | Error e) {
                    ring.abort(index);
                    throw e;
                }
                ring.commit(index);
                yield true;
            }
            case Iso<?> iso -> {
                Object content = iso.get();
                int index;
                switch (content) {
                    case ByteBuffer bb -> {
                        int length = bb.remaining();
                        index = claim(ring, length);
                        if (index >= 0) {
                            header(ring.buffer(), index, FrameDescriptor.ISO, FrameDescriptor.ISO_BYTE_BUFFER,
                                    length, sender, target, 0, enqueuedNanos);
                            ring.buffer().putBytes(index + HEADER_LENGTH, bb, bb.position(), length);
                        }
                    }
                    case byte[] bytes -> {
                        index = claim(ring, bytes.length);
                        if (index >= 0) {
                            header(ring.buffer(), index, FrameDescriptor.ISO, FrameDescriptor.ISO_BYTE_ARRAY,
                                    bytes.length, sender, target, 0, enqueuedNanos);
                            ring.buffer().putBytes(index + HEADER_LENGTH, bytes);
                        }
                    }
                    default -> throw new CodecException("an Iso that crosses processes must hold a ByteBuffer or a"
                            + " byte[]; this one holds a " + content.getClass().getName());
                }
                if (index < 0) {
                    yield false;
                }
                ring.commit(index);
                yield true;
            }
            case Tag t -> {
                int index = claim(ring, 8);
                if (index < 0) {
                    yield false;
                }
                header(ring.buffer(), index, FrameDescriptor.TAG, FrameDescriptor.ISO_NONE, 8, sender, target, 0,
                        enqueuedNanos);
                ring.buffer().putLong(index + HEADER_LENGTH, tags.addressOf(t));
                ring.commit(index);
                yield true;
            }
        };
    }

    /** Writes the child's STARTED frame. */
    public static boolean writeStarted(RingBuffer ring) {
        byte[] none = new byte[0];
        return writeControl(ring, FrameDescriptor.STARTED, none, none.length);
    }

    /** Writes the child's ENDED frame: outcome and a text (cut to fit the ring's largest message). */
    public static boolean writeEnded(RingBuffer ring, byte outcome, String text) {
        byte[] payload = codeAndText(ring, outcome, text);
        return writeControl(ring, FrameDescriptor.ENDED, payload, payload.length);
    }

    /** A control frame's payload: one code byte, then {@code text} in UTF-8, cut to fit the ring's largest message. */
    private static byte[] codeAndText(RingBuffer ring, byte code, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(utf8.length, ring.maxMsgLength() - HEADER_LENGTH - 1);
        byte[] payload = new byte[1 + length];
        payload[0] = code;
        System.arraycopy(utf8, 0, payload, 1, length);
        return payload;
    }

    /**
     * Writes a BOUNCED frame: a message whose sender is {@code target}, an address on the other side, became a dead
     * letter here for {@code reason}, with {@code causeText} (cut to fit; empty if no cause). Never waits.
     *
     * @return false if the ring has no room for it now
     */
    public static boolean writeBounced(RingBuffer ring, long target, DeadLetter.Reason reason, String causeText) {
        byte[] payload = codeAndText(ring, (byte) reason.ordinal(), causeText);
        return writeControl(ring, FrameDescriptor.BOUNCED, payload, payload.length, Addresses.NONE, target);
    }

    private static boolean writeControl(RingBuffer ring, int type, byte[] payload, int length) {
        return writeControl(ring, type, payload, length, Addresses.NONE, Addresses.NONE);
    }

    private static boolean writeControl(RingBuffer ring, int type, byte[] payload, int length, long sender,
                                        long target) {
        int index = ring.tryClaim(type, HEADER_LENGTH + length);
        if (index < 0) {
            return false;
        }
        header(ring.buffer(), index, FrameDescriptor.VAL, FrameDescriptor.ISO_NONE, length, sender, target, 0,
                RuntimeClock.system().nanoTime());
        ring.buffer().putBytes(index + HEADER_LENGTH, payload, 0, length);
        ring.commit(index);
        return true;
    }

    private static Frame bounced(DirectBuffer b, int at, int payloadLength, long sender, long target,
                                 long correlation) throws FrameDecodeException {
        if (target == Addresses.NONE) {
            throw new FrameDecodeException("a BOUNCED frame without a target");
        }
        if (payloadLength < 1) {
            throw new FrameDecodeException("BOUNCED frame without a reason");
        }
        byte reason = b.getByte(at);
        if (reason < 0 || reason >= DeadLetter.Reason.values().length) {
            throw new FrameDecodeException("BOUNCED frame with reason " + reason);
        }
        return new Frame(FrameDescriptor.BOUNCED, sender, target, correlation, null, reason,
                b.getStringWithoutLengthUtf8(at + 1, payloadLength - 1));
    }

    private static int claim(RingBuffer ring, int payloadLength) {
        int max = ring.maxMsgLength() - HEADER_LENGTH;
        if (payloadLength > max) {
            throw new CodecException("a message of " + payloadLength + " bytes is larger than the ring's largest, "
                    + max + " bytes (an eighth of its capacity): raise the ring capacity");
        }
        return ring.tryClaim(FrameDescriptor.MESSAGE, HEADER_LENGTH + payloadLength);
    }

    private static void header(MutableDirectBuffer b, int at, byte capability, byte isoKind, int payloadLength,
                               long sender, long target, long correlation, long enqueued) {
        b.putByte(at + CAPABILITY_OFFSET, capability);
        b.putByte(at + ISO_KIND_OFFSET, isoKind);
        b.putShort(at + VERSION_OFFSET, FrameDescriptor.VERSION);
        b.putInt(at + PAYLOAD_LENGTH_OFFSET, payloadLength);
        b.putLong(at + SENDER_OFFSET, sender);
        b.putLong(at + TARGET_OFFSET, target);
        b.putLong(at + CORRELATION_OFFSET, correlation);
        b.putLong(at + ENQUEUED_OFFSET, enqueued);
    }

    /**
     * Reads the frame of type {@code type} in the {@code length} bytes at {@code index}.
     *
     * @throws FrameDecodeException if it is not a well-formed frame of this version, or lies outside {@code b}, or the
     *                              codec fails on it in any way
     */
    public static Frame read(int type, DirectBuffer b, int index, int length, MessageCodec codec,
                             MessageCodec.TagTable tags) throws FrameDecodeException {
        if (index < 0 || length < 0 || (long) index + length > b.capacity()) {
            throw new FrameDecodeException("a frame of " + length + " bytes at " + index + " runs past the "
                    + b.capacity() + " bytes there are");
        }
        if (!FrameDescriptor.isKnownType(type)) {
            throw new FrameDecodeException("unknown frame type " + type);
        }
        if (length < HEADER_LENGTH) {
            throw new FrameDecodeException("a frame of " + length + " bytes is shorter than the header ("
                    + HEADER_LENGTH + ")");
        }
        short version = b.getShort(index + VERSION_OFFSET);
        if (version != FrameDescriptor.VERSION) {
            throw new FrameDecodeException("frame version " + version + ", expected " + FrameDescriptor.VERSION);
        }
        int payloadLength = b.getInt(index + PAYLOAD_LENGTH_OFFSET);
        if (payloadLength != length - HEADER_LENGTH) {
            throw new FrameDecodeException("payload length " + payloadLength + " in a frame of " + length + " bytes");
        }
        byte capability = b.getByte(index + CAPABILITY_OFFSET);
        byte isoKind = b.getByte(index + ISO_KIND_OFFSET);
        long sender = b.getLong(index + SENDER_OFFSET);
        long target = b.getLong(index + TARGET_OFFSET);
        long correlation = b.getLong(index + CORRELATION_OFFSET);
        long enqueued = b.getLong(index + ENQUEUED_OFFSET);
        if (!Addresses.isValid(sender) || !Addresses.isValid(target)) {
            throw new FrameDecodeException("malformed address: sender " + Long.toHexString(sender) + ", target "
                    + Long.toHexString(target));
        }
        int at = index + HEADER_LENGTH;
        if (type != FrameDescriptor.MESSAGE) {
            if (capability != FrameDescriptor.VAL || isoKind != FrameDescriptor.ISO_NONE) {
                throw new FrameDecodeException("control frame with capability " + capability + "/" + isoKind);
            }
            if (type == FrameDescriptor.STARTED) {
                if (payloadLength != 0) {
                    throw new FrameDecodeException("STARTED frame with a payload of " + payloadLength + " bytes");
                }
                return new Frame(type, sender, target, correlation, null, (byte) 0, "");
            }
            if (type == FrameDescriptor.BOUNCED) {
                return bounced(b, at, payloadLength, sender, target, correlation);
            }
            if (payloadLength < 1) {
                throw new FrameDecodeException("ENDED frame without an outcome");
            }
            byte outcome = b.getByte(at);
            if (outcome != FrameDescriptor.OUTCOME_STOPPED && outcome != FrameDescriptor.OUTCOME_FAILED) {
                throw new FrameDecodeException("ENDED frame with outcome " + outcome);
            }
            return new Frame(type, sender, target, correlation, null, outcome,
                    b.getStringWithoutLengthUtf8(at + 1, payloadLength - 1));
        }
        if (target == Addresses.NONE) {
            throw new FrameDecodeException("a message frame without a target");
        }
        Sendable payload = switch (capability) {
            case FrameDescriptor.VAL -> {
                if (isoKind != FrameDescriptor.ISO_NONE) {
                    throw new FrameDecodeException("a VAL frame with iso kind " + isoKind);
                }
                try {
                    yield codec.decode(b, at, payloadLength, tags);
                } catch (RuntimeException e) { // a codec of the user's that fails on bytes it did not expect
                    throw new FrameDecodeException("the codec failed on a value of " + payloadLength + " bytes: " + e,
                            e);
                }
            }
            case FrameDescriptor.ISO -> switch (isoKind) {
                case FrameDescriptor.ISO_BYTE_BUFFER -> {
                    ByteBuffer bb = ByteBuffer.allocate(payloadLength);
                    b.getBytes(at, bb, payloadLength);
                    yield Iso.of(bb.flip());
                }
                case FrameDescriptor.ISO_BYTE_ARRAY -> {
                    byte[] bytes = new byte[payloadLength];
                    b.getBytes(at, bytes);
                    yield Iso.of(bytes);
                }
                default -> throw new FrameDecodeException("an ISO frame with iso kind " + isoKind);
            };
            case FrameDescriptor.TAG -> {
                if (isoKind != FrameDescriptor.ISO_NONE || payloadLength != 8) {
                    throw new FrameDecodeException("a TAG frame of " + payloadLength + " bytes, iso kind " + isoKind);
                }
                long address = b.getLong(at);
                if (!Addresses.isValid(address) || address == Addresses.NONE) {
                    throw new FrameDecodeException("a TAG frame with malformed address " + Long.toHexString(address));
                }
                yield tags.tagAt(address);
            }
            default -> throw new FrameDecodeException("unknown capability " + capability);
        };
        Tag from = sender == Addresses.NONE ? null : tags.tagAt(sender);
        return new Frame(type, sender, target, correlation, Message.of(payload, from, enqueued), (byte) 0, null);
    }
}
