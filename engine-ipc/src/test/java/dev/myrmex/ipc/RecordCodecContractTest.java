package dev.myrmex.ipc;

import static org.quicktheories.generators.SourceDSL.longs;

import dev.myrmex.core.Val;
import dev.myrmex.core.codec.ValueCodec;
import dev.myrmex.core.testing.ValueCodecContract;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.quicktheories.core.Gen;

/** The value codec contract for the out-of-process message codec, {@link RecordCodec}. */
class RecordCodecContractTest extends ValueCodecContract<Val> {
    enum Size { SMALL, LARGE }

    record Resize(String image, Size size, List<Integer> widths, Agents.Note note) implements Val {
        Resize {
            widths = List.copyOf(widths);
        }
    }

    @Override
    protected ValueCodec<Val> codec() {
        return new RecordCodec();
    }

    @Override
    protected Gen<Val> values() {
        return longs().all().map(seed -> record(new SplittableRandom(seed)));
    }

    private static Val record(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> new Agents.Note(r.nextLong());
            case 1 -> new Agents.Ping(r.nextLong(), sampleText(r, 15));
            case 2 -> new Agents.Pong(r.nextInt(100), sampleText(r, 15));
            default -> {
                List<Integer> widths = new ArrayList<>();
                for (int i = r.nextInt(6); i > 0; i--) {
                    widths.add(r.nextInt());
                }
                yield new Resize(sampleText(r, 15), r.nextBoolean() ? Size.SMALL : Size.LARGE, widths,
                        new Agents.Note(r.nextLong()));
            }
        };
    }
}
