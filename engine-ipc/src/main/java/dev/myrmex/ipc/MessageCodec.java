package dev.myrmex.ipc;

import dev.myrmex.core.Tag;
import dev.myrmex.core.Val;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * SPI: how a {@link Val} payload crosses into another process. The sender sizes then writes the value straight into
 * the ring; the receiver reads it back. Both processes use the same codec class, made in the child by its public
 * no-argument constructor, so a codec must have one and keep no per-instance configuration that the child would miss.
 *
 * <p>{@link RecordCodec} is the ready codec (records of primitives, strings, enums, nested values, lists and agent
 * references). Write your own for a faster or more compact format; it must be thread-safe (senders call it
 * concurrently) and its {@link #decode} must treat its input as untrusted: any malformed input is a
 * {@link FrameDecodeException}, never another exception, a hang or an unbounded allocation.
 */
public interface MessageCodec {
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
