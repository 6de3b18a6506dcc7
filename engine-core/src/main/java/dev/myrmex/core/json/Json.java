package dev.myrmex.core.json;

import dev.myrmex.core.Val;
import dev.myrmex.core.internal.JsonSupport;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * JSON-shaped data as a {@link Val}: what a task's input or result is when it comes from, or goes to, another
 * program (the management API turns request bodies into it). Immutable all the way down, so it is sent and shared
 * like any other {@code Val}; engine-core reads and writes no JSON text itself beyond each value's {@code toString()}.
 *
 * <pre>{@code
 * Json input = Json.of(Map.of("url", "s3://bucket/day", "width", 800, "tags", List.of("a", "b")));
 * long width = ((Json.Obj) input).get("width") instanceof Json.Int(long w) ? w : 0;
 * Object plain = input.toPlain();   // Map<String, Object>, List<Object>, String, Long, Double, Boolean or null
 * }</pre>
 *
 * <p>Numbers are {@link Int} (whole, within a {@code long}) or {@link Dec} (a finite {@code double}); an object's
 * fields keep no order ({@link #toJson()} writes them sorted by name). Each value's {@code toString()} is its JSON
 * text.
 *
 * <p><b>Depth.</b> Objects and arrays nest at most {@link #MAX_DEPTH} deep. {@link #of}, {@link #toJson()} (and so
 * {@code toString()}), {@link #toPlain()} and the journal's binary form refuse anything deeper with a
 * {@link JsonDepthException}; a task's submission refuses a deeper input, and the management API a deeper request
 * body. A value built deeper from the records' constructors exists, but goes nowhere.
 */
public sealed interface Json extends Val permits Json.Obj, Json.Arr, Json.Str, Json.Int, Json.Dec, Json.Bool,
        Json.Null {
    /**
     * The deepest objects and arrays may nest: {@value} levels ({@code 1} is 0 deep, {@code []} and {@code {"a": 1}}
     * 1, {@code [[1]]} 2). The one limit of everything in Myrmex that reads or writes JSON: this type, the task
     * journal's binary form and the management API's parser (which allows a request body's own one or two levels on
     * top). 512 is where the binary decoder has stood since its first version (a guard against damaged bytes
     * overflowing the stack); every walk of a value this deep fits half of a thread's default stack (1 MB on 64-bit
     * Linux) even before the JIT compiles it ({@code JsonTest}), the management API lists one
     * ({@code AdminServerTest}), and no real task input comes close.
     */
    int MAX_DEPTH = 512;

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
        return JsonSupport.from(plain, "$", 0);
    }

    /**
     * How deep this value nests: 0 for a string, number, boolean or null, else one more than its deepest element
     * (an empty object or array is 1 deep). Counted without recursion, so a value of any depth can be measured.
     */
    default int depth() {
        return JsonSupport.depth(this);
    }

    /**
     * Returns {@code value} if it nests at most {@link #MAX_DEPTH} deep.
     *
     * @param what what {@code value} is, for the message: "the input of task 'resize'"
     * @throws JsonDepthException naming {@code what}, its depth and the limit, if it nests deeper
     */
    static Json requireWithinDepth(Json value, String what) {
        int d = value.depth();
        if (d > MAX_DEPTH) {
            throw new JsonDepthException(what, d);
        }
        return value;
    }

    /**
     * This value as plain Java data: {@code Map<String, Object>}, {@code List<Object>}, String, Long, Double, Boolean,
     * null.
     *
     * @throws JsonDepthException if it nests deeper than {@link #MAX_DEPTH}
     */
    default Object toPlain() {
        return JsonSupport.toPlain(this, 0);
    }

    /**
     * The JSON text of this value, compact, object fields sorted by name.
     *
     * @throws JsonDepthException if it nests deeper than {@link #MAX_DEPTH}
     */
    default String toJson() {
        StringBuilder b = new StringBuilder();
        JsonSupport.write(this, b, 0);
        return b.toString();
    }
}
