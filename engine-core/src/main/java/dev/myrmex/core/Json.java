package dev.myrmex.core;

import dev.myrmex.core.internal.JsonSupport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * JSON-shaped data as a {@link Val}: what a task's input or result is when it comes from, or goes to, another
 * program (the management API turns request bodies into it). Immutable all the way down, so it is sent and shared
 * like any other {@code Val}; engine-core reads and writes no JSON text itself beyond {@link #toString()}.
 *
 * <pre>{@code
 * Json input = Json.of(Map.of("url", "s3://bucket/day", "width", 800, "tags", List.of("a", "b")));
 * long width = ((Json.Obj) input).get("width") instanceof Json.Int(long w) ? w : 0;
 * Object plain = input.toPlain();   // Map<String, Object>, List<Object>, String, Long, Double, Boolean or null
 * }</pre>
 *
 * <p>Numbers are {@link Int} (whole, within a {@code long}) or {@link Dec} (a finite {@code double}); an object's
 * fields keep no order ({@link #toJson()} writes them sorted by name). Each value's {@code toString()} is its JSON text.
 */
public sealed interface Json extends Val permits Json.Obj, Json.Arr, Json.Str, Json.Int, Json.Dec, Json.Bool,
        Json.Null {

    /** An object: named fields. */
    record Obj(Map<String, Json> fields) implements Json {
        /** Its JSON text. */
        @Override
        public String toString() {
            return toJson();
        }

        public Obj {
            fields = Map.copyOf(fields); // rejects null names and values: Null.NULL is JSON's null
        }

        /** The field's value, or null if there is no such field. */
        public Json get(String name) {
            return fields.get(name);
        }
    }

    /** An array. */
    record Arr(List<Json> items) implements Json {
        /** Its JSON text. */
        @Override
        public String toString() {
            return toJson();
        }

        public Arr {
            items = List.copyOf(items);
        }
    }

    /** A string. */
    record Str(String value) implements Json {
        /** Its JSON text. */
        @Override
        public String toString() {
            return toJson();
        }

        public Str {
            Objects.requireNonNull(value, "value (use Json.Null.NULL for null)");
        }
    }

    /** A whole number. */
    record Int(long value) implements Json {

        /** Its JSON text. */
        @Override
        public String toString() {
            return toJson();
        }
    }

    /** A number with a fraction or exponent: finite. */
    record Dec(double value) implements Json {
        /** Its JSON text. */
        @Override
        public String toString() {
            return toJson();
        }

        public Dec {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("JSON has no " + value + ": a Json.Dec must be finite");
            }
        }
    }

    /** {@code true} or {@code false}. */
    record Bool(boolean value) implements Json {

        /** Its JSON text. */
        @Override
        public String toString() {
            return toJson();
        }
    }

    /** JSON's {@code null}. */
    enum Null implements Json {
        NULL;

        /** Its JSON text. */
        @Override
        public String toString() {
            return toJson();
        }
    }

    /**
     * Converts plain Java data: a {@code Map} with string keys, a {@code Collection}, a {@code String}, a number, a
     * {@code Boolean}, null, or a {@code Json} (returned as it is), nested as deep as it goes.
     *
     * @throws IllegalArgumentException naming the path and type of the first value that is none of these (or a
     *                                  number JSON cannot hold: NaN, infinite, or a whole number beyond a long)
     */
    static Json of(Object plain) {
        return JsonSupport.from(plain, "$");
    }

    /** This value as plain Java data: {@code Map<String, Object>}, {@code List<Object>}, String, Long, Double, Boolean, null. */
    default Object toPlain() {
        return switch (this) {
            case Obj o -> {
                Map<String, Object> m = new LinkedHashMap<>();
                new TreeMap<>(o.fields()).forEach((k, v) -> m.put(k, v.toPlain()));
                yield m;
            }
            case Arr a -> {
                List<Object> l = new ArrayList<>(a.items().size());
                a.items().forEach(v -> l.add(v.toPlain()));
                yield l;
            }
            case Str s -> s.value();
            case Int i -> i.value();
            case Dec d -> d.value();
            case Bool b -> b.value();
            case Null n -> null;
        };
    }

    /** The JSON text of this value, compact, object fields sorted by name. */
    default String toJson() {
        StringBuilder b = new StringBuilder();
        JsonSupport.write(this, b);
        return b.toString();
    }
}
