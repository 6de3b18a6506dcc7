package dev.myrmex.core.recovery;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * How an agent's state becomes the bytes of a checkpoint and back. The {@link #id()} is stored with every checkpoint:
 * a recovering runtime refuses to decode a checkpoint with another codec's id (the report says so), so give a new id
 * to a codec whose bytes change meaning, and keep a factory for the old one while old checkpoints remain.
 *
 * <pre>{@code
 * CheckpointCodec<Long> codec = CheckpointCodec.int64("counter-v1");
 * CheckpointCodec<Book> books = CheckpointCodec.of("book-v2", Book::toBytes, Book::fromBytes);
 * }</pre>
 *
 * @param <S> the state's type
 */
public interface CheckpointCodec<S> {
    /** A stable name for this encoding, such as {@code "order-book-v2"}. */
    String id();

    /** The bytes of {@code state}. Throwing skips this checkpoint (logged and counted); the agent carries on. */
    byte[] encode(S state) throws Exception;

    /** The state {@code bytes} encode. Throwing leaves the agent unrecovered, with the exception in the report. */
    S decode(byte[] bytes) throws Exception;

    /** An encoder: {@link #encode}'s half. */
    @FunctionalInterface
    interface Encoder<S> {
        byte[] encode(S state) throws Exception;
    }

    /** A decoder: {@link #decode}'s half. */
    @FunctionalInterface
    interface Decoder<S> {
        S decode(byte[] bytes) throws Exception;
    }

    /**
     * A codec from two functions.
     *
     * @throws IllegalArgumentException if {@code id} is blank
     */
    static <S> CheckpointCodec<S> of(String id, Encoder<S> encoder, Decoder<S> decoder) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(decoder, "decoder");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a checkpoint codec needs a non-blank id");
        }
        return new CheckpointCodec<>() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public byte[] encode(S state) throws Exception {
                return encoder.encode(state);
            }

            @Override
            public S decode(byte[] bytes) throws Exception {
                return decoder.decode(bytes);
            }

            @Override
            public String toString() {
                return "CheckpointCodec[" + id + "]";
            }
        };
    }

    /** A {@code long} as 8 big-endian bytes. */
    static CheckpointCodec<Long> int64(String id) {
        return of(id, v -> ByteBuffer.allocate(Long.BYTES).putLong(v).array(), b -> {
            if (b.length != Long.BYTES) {
                throw new IllegalArgumentException("a " + id + " checkpoint is 8 bytes, not " + b.length);
            }
            return ByteBuffer.wrap(b).getLong();
        });
    }

    /** A string as UTF-8. */
    static CheckpointCodec<String> utf8(String id) {
        return of(id, s -> s.getBytes(StandardCharsets.UTF_8), b -> new String(b, StandardCharsets.UTF_8));
    }
}
