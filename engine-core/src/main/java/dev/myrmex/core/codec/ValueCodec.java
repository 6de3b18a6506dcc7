package dev.myrmex.core.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The value codec SPI: how a value becomes bytes and back, wherever Myrmex keeps or ships one. An agent's checkpoint
 * state ({@code Checkpointable.codec()}), a task's input in the journal ({@code TaskSettings.inputCodec}) and a message
 * to an out-of-process agent (engine-ipc's {@code MessageCodec} is a {@code ValueCodec<Val>} that can also write
 * straight into its shared-memory ring) all take one: a codec written once serves all three.
 *
 * <p>The {@link #id()} is stored with the bytes: a reader refuses bytes written under another codec's id (a recovering
 * runtime's report says so), so give a new id to a codec whose bytes change meaning, and keep the old one while old
 * checkpoints or task records remain.
 *
 * <pre>{@code
 * ValueCodec<Long> codec = ValueCodec.int64("counter-v1");
 * ValueCodec<Book> books = ValueCodec.of("book-v2", Book::toBytes, Book::fromBytes);
 * }</pre>
 *
 * @param <S> the value's type
 */
public interface ValueCodec<S> {
    /** A stable name for this encoding, such as {@code "order-book-v2"}. */
    String id();

    /**
     * The bytes of {@code state}. Throwing refuses the value: a checkpoint is skipped (logged and counted), the agent
     * carries on; a task input is not journalled (the task runs, and cannot come back after a crash).
     */
    byte[] encode(S state) throws Exception;

    /**
     * The value {@code bytes} encode. Throwing leaves an agent unrecovered or a task not queued again, with the
     * exception in the report.
     */
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
    static <S> ValueCodec<S> of(String id, Encoder<S> encoder, Decoder<S> decoder) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(decoder, "decoder");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a value codec needs a non-blank id");
        }
        return new ValueCodec<>() {
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
                return "ValueCodec[" + id + "]";
            }
        };
    }

    /** A {@code long} as 8 big-endian bytes. */
    static ValueCodec<Long> int64(String id) {
        return of(id, v -> ByteBuffer.allocate(Long.BYTES).putLong(v).array(), b -> {
            if (b.length != Long.BYTES) {
                throw new IllegalArgumentException("a " + id + " value is 8 bytes, not " + b.length);
            }
            return ByteBuffer.wrap(b).getLong();
        });
    }

    /** A string as UTF-8. */
    static ValueCodec<String> utf8(String id) {
        return of(id, s -> s.getBytes(StandardCharsets.UTF_8), b -> new String(b, StandardCharsets.UTF_8));
    }
}
