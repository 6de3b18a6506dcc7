package dev.myrmex.ipc;

import dev.myrmex.core.Tag;
import dev.myrmex.core.Val;
import dev.myrmex.core.codec.ValueCodec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * SPI: how a {@link Val} payload crosses into another process. The sender sizes then writes the value straight into
 * the ring; the receiver reads it back. Both processes use the same codec class, made in the child by its public
 * no-argument constructor, so a codec must have one and keep no per-instance configuration that the child would miss.
 *
 * <p>{@link RecordCodec} is the ready codec (records of primitives, strings, enums, nested values, lists and agent
 * references). Write your own for a faster or more compact format; it must be thread-safe (senders call it
 * concurrently) and its {@link #decode} must treat its input as untrusted: any malformed input is a
 * {@link FrameDecodeException}, never another exception, a hang or an unbounded allocation.
 *
 * <p>A message codec is a {@link ValueCodec}, engine-core's one value codec SPI, with a zero-copy path for the ring:
 * the same codec serves as an agent's checkpoint codec or a runtime's task input codec, through
 * {@link #encode(Val)} and {@link #decode(byte[])}. Outside a channel there is no table of agent references, so a
 * value holding one is refused there (a {@link CodecException}).
 */
public interface MessageCodec extends ValueCodec<Val> {
    /** How a codec turns {@link Tag}s (agent references) into addresses and back. Supplied by the channel. */
    interface TagTable {
        /** The address of {@code tag}, valid in the other process. */
        long addressOf(Tag tag);

        /**
         * The reference an address from the other process stands for.
         *
         * @throws FrameDecodeException if the address is malformed
         */
        Tag tagAt(long address) throws FrameDecodeException;
    }

    /**
     * The table outside a channel: it has no agent references, so encoding one is refused and no address decodes.
     */
    TagTable NO_TAGS = new TagTable() {
        @Override
        public long addressOf(Tag tag) {
            throw new CodecException("an agent reference (" + tag + ") is valid only in a channel between processes,"
                    + " not in stored bytes");
        }

        @Override
        public Tag tagAt(long address) throws FrameDecodeException {
            throw new FrameDecodeException("stored bytes hold an agent reference (address " + address
                    + "): only a channel between processes can carry one");
        }
    };

    /** The id stored with the bytes this codec writes outside a channel: its class name, unless it says otherwise. */
    @Override
    default String id() {
        return getClass().getName();
    }

    /**
     * {@code value}'s bytes, for storing (a checkpoint, a task's input).
     *
     * @throws CodecException if it cannot be encoded, or holds an agent reference
     */
    @Override
    default byte[] encode(Val value) {
        byte[] bytes = new byte[encodedLength(value)];
        encode(value, new UnsafeBuffer(bytes), 0, NO_TAGS);
        return bytes;
    }

    /**
     * The value {@link #encode(Val)} wrote as {@code bytes}.
     *
     * @throws FrameDecodeException if they are not a value this codec wrote (or hold an agent reference)
     */
    @Override
    default Val decode(byte[] bytes) throws FrameDecodeException {
        return decode(new UnsafeBuffer(bytes), 0, bytes.length, NO_TAGS);
    }

    /**
     * The exact number of bytes {@link #encode} will write for {@code value}.
     *
     * @throws CodecException if {@code value} (or something inside it) cannot be encoded: the message is not sent
     */
    int encodedLength(Val value);

    /**
     * Writes {@code value} at {@code offset}; exactly {@link #encodedLength} bytes.
     *
     * @throws CodecException if {@code value} cannot be encoded
     */
    void encode(Val value, MutableDirectBuffer buffer, int offset, TagTable tags);

    /**
     * Reads one value from the {@code length} bytes at {@code offset}, all of which it must use.
     *
     * @throws FrameDecodeException if the bytes are not a value this codec wrote
     */
    Val decode(DirectBuffer buffer, int offset, int length, TagTable tags) throws FrameDecodeException;
}
