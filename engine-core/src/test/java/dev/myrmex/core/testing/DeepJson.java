package dev.myrmex.core.testing;

import dev.myrmex.core.json.Json;
import java.util.List;
import java.util.Map;

/** Json values nested to a given depth, for tests of {@link Json#MAX_DEPTH}. */
public final class DeepJson {
    private DeepJson() {
    }

    /** Arrays and objects in turn, {@code depth} levels, a number innermost: {@code [{"k": [7]}]} is 3 deep. */
    public static Json nested(int depth) {
        Json j = new Json.Int(7);
        for (int i = 0; i < depth; i++) {
            j = i % 2 == 0 ? new Json.Arr(List.of(j)) : new Json.Obj(Map.of("k", j));
        }
        return j;
    }

    /** The same as plain data, for {@link Json#of}. */
    public static Object nestedPlain(int depth) {
        Object o = 7;
        for (int i = 0; i < depth; i++) {
            o = i % 2 == 0 ? List.of(o) : Map.of("k", o);
        }
        return o;
    }
}
