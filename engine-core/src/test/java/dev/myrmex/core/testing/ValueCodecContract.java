package dev.myrmex.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.myrmex.core.codec.ValueCodec;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The contract every {@link ValueCodec} keeps, run against each implementation by extending this class: one contract
 * test a codec (engine-core's {@code int64}, {@code utf8} and task-input JSON codecs; engine-ipc's {@code
 * RecordCodec}). A codec names its encoding; every value it accepts comes back equal; and bytes from a hostile or
 * damaged source (a corrupt checkpoint, a journal record, a peer) are refused with an exception, or read as some
 * value, but never crash the reader with an {@link Error} (no huge allocation, no unbounded recursion) and never
 * read a shortened encoding as the original value.
 *
 * @param <S> the codec's value type
 */
public abstract class ValueCodecContract<S> {
    /** The codec under test. */
    protected abstract ValueCodec<S> codec();

    /** Values the codec accepts, varied enough to reach each of its encodings. */
    protected abstract Gen<S> values();

    @Test
    void theIdNamesTheEncodingAndStaysTheSame() {
        ValueCodec<S> codec = codec();
        assertFalse(codec.id() == null || codec.id().isBlank(), "a codec's id is stored with its bytes");
        assertEquals(codec.id(), codec().id());
    }

    @Test
    void everyValueComesBackEqual() {
        ValueCodec<S> codec = codec();
        qt().withExamples(1_000).forAll(values()).checkAssert(v -> assertEquals(v, decode(codec, encode(codec, v))));
    }

    @Test
    void aShortenedEncodingIsRefusedOrReadsAsAnotherValue() {
        ValueCodec<S> codec = codec();
        qt().withExamples(1_000).forAll(values(), integers().between(1, 64)).checkAssert((v, cut) -> {
            byte[] whole = encode(codec, v);
            if (whole.length == 0) {
                return;
            }
            byte[] shorter = Arrays.copyOf(whole, Math.max(0, whole.length - cut));
            S read = decodeOrRefuse(codec, shorter);
            if (read != null) {
                assertNotEquals(v, read, "a shortened encoding read as the original: " + v);
            }
        });
    }

    @Test
    void hostileBytesAreRefusedWithAnExceptionNeverAnError() {
        ValueCodec<S> codec = codec();
        qt().withExamples(2_000).forAll(values(), longs().all()).checkAssert((v, seed) -> {
            SplittableRandom random = new SplittableRandom(seed);
            byte[] bytes = encode(codec, v);
            switch (random.nextInt(3)) {
                case 0 -> { // a few bytes flipped
                    for (int i = 0, n = 1 + random.nextInt(4); i < n && bytes.length > 0; i++) {
                        bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
                    }
                }
                case 1 -> { // a length or count made huge: the first bytes all ones
                    for (int i = 0; i < Math.min(bytes.length, 1 + random.nextInt(8)); i++) {
                        bytes[i] = (byte) 0xff;
                    }
                }
                default -> { // noise
                    bytes = new byte[random.nextInt(64)];
                    for (int i = 0; i < bytes.length; i++) {
                        bytes[i] = (byte) random.nextInt(256);
                    }
                }
            }
            decodeOrRefuse(codec, bytes);
        });
    }

    /**
     * Text of up to {@code maxLength} code points, mostly ASCII, some from every plane, never a lone surrogate (UTF-8
     * cannot carry one, so no codec could bring it back): for the values of a codec's generator.
     */
    protected static String sampleText(SplittableRandom r, int maxLength) {
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(maxLength + 1); i > 0; i--) {
            int cp = r.nextInt(4) == 0 ? r.nextInt(0x80, Character.MAX_CODE_POINT + 1) : r.nextInt(0x20, 0x7f);
            b.appendCodePoint(cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE ? 'x' : cp);
        }
        return b.toString();
    }

    private static <S> byte[] encode(ValueCodec<S> codec, S v) {
        try {
            return codec.encode(v);
        } catch (Exception e) {
            throw new AssertionError(codec + " refused a value it should take: " + v, e);
        }
    }

    private static <S> S decode(ValueCodec<S> codec, byte[] bytes) {
        try {
            return codec.decode(bytes);
        } catch (Exception e) {
            throw new AssertionError(codec + " could not read its own bytes", e);
        }
    }

    /** The value {@code bytes} read as, or null if the codec refused them with an exception (an Error propagates). */
    private static <S> S decodeOrRefuse(ValueCodec<S> codec, byte[] bytes) {
        try {
            return codec.decode(bytes);
        } catch (Exception refused) {
            return null;
        }
    }
}
