package dev.myrmex.core.task;

import static org.quicktheories.generators.SourceDSL.longs;

import dev.myrmex.core.Val;
import dev.myrmex.core.codec.ValueCodec;
import dev.myrmex.core.json.Json;
import dev.myrmex.core.testing.ValueCodecContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.quicktheories.core.Gen;

/** The value codec contract for the default task input codec, {@link TaskInputs#JSON}. */
class TaskInputCodecContractTest extends ValueCodecContract<Val> {
    @Override
    protected ValueCodec<Val> codec() {
        return TaskInputs.JSON;
    }

    @Override
    protected Gen<Val> values() {
        return longs().all().map(seed -> json(new SplittableRandom(seed), 4));
    }

    /** A Json value of every kind, nested at most {@code depth} deep. */
    static Json json(SplittableRandom r, int depth) {
        int kind = r.nextInt(depth > 0 ? 8 : 6);
        return switch (kind) {
            case 0 -> Json.Null.NULL;
            case 1 -> new Json.Bool(r.nextBoolean());
            case 2 -> new Json.Int(r.nextInt(3) == 0 ? r.nextLong() : r.nextInt(-1000, 1000));
            case 3 -> new Json.Dec(r.nextInt(2) == 0 ? r.nextDouble() * 1e6 : Double.longBitsToDouble(
                    r.nextLong() & 0x7fefffffffffffffL)); // finite, both signs' magnitudes
            case 4, 5 -> new Json.Str(sampleText(r, 11));
            case 6 -> {
                List<Json> items = new ArrayList<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    items.add(json(r, depth - 1));
                }
                yield new Json.Arr(items);
            }
            default -> {
                Map<String, Json> fields = new LinkedHashMap<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    fields.put(sampleText(r, 11), json(r, depth - 1));
                }
                yield new Json.Obj(fields);
            }
        };
    }
}
