package dev.myrmex.core.codec;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.myrmex.core.testing.ValueCodecContract;
import org.junit.jupiter.api.Nested;
import org.quicktheories.core.Gen;

/** The value codec contract for the codecs {@link ValueCodec} makes: {@code int64} and {@code utf8}. */
class BuiltInCodecContractTest {
    /** Text of any code points but lone surrogates (UTF-8 cannot carry those: no codec could bring them back). */
    static Gen<String> text() {
        Gen<Integer> codePoint = integers().between(0, Character.MAX_CODE_POINT)
                .map(cp -> cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE ? (int) 'x' : cp);
        return lists().of(codePoint).ofSizeBetween(0, 40).map(cps -> {
            StringBuilder b = new StringBuilder();
            cps.forEach(b::appendCodePoint);
            return b.toString();
        });
    }

    @Nested
    class Int64 extends ValueCodecContract<Long> {
        @Override
        protected ValueCodec<Long> codec() {
            return ValueCodec.int64("counter-v1");
        }

        @Override
        protected Gen<Long> values() {
            return longs().all();
        }
    }

    @Nested
    class Utf8 extends ValueCodecContract<String> {
        @Override
        protected ValueCodec<String> codec() {
            return ValueCodec.utf8("name-v1");
        }

        @Override
        protected Gen<String> values() {
            return text();
        }
    }
}
