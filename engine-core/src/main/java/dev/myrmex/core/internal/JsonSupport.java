package dev.myrmex.core.internal;

import dev.myrmex.core.json.Json;
import dev.myrmex.core.json.Json.Arr;
import dev.myrmex.core.json.Json.Bool;
import dev.myrmex.core.json.Json.Dec;
import dev.myrmex.core.json.Json.Int;
import dev.myrmex.core.json.Json.Null;
import dev.myrmex.core.json.Json.Obj;
import dev.myrmex.core.json.Json.Str;
import dev.myrmex.core.json.JsonDepthException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link Json}'s conversions between plain data, {@code Json} and JSON text, and its binary form. Every recursive walk
 * here carries the depth of the containers it is inside and refuses to enter one more than {@link Json#MAX_DEPTH}:
 * the recursion is bounded, and nothing deeper is ever written.
 */
public final class JsonSupport {
    private JsonSupport() {
    }

    /** How many characters of a path a depth error quotes: a path at the limit runs to thousands. */
    private static final int PATH_SHOWN = 60;

    /** Refuses entering a container at {@code depth} + 1 if that passes the limit. */
    private static void enter(int depth, String what) {
        if (depth >= Json.MAX_DEPTH) {
            throw JsonDepthException.beyondLimit(what);
        }
    }

    /** Converts plain data at {@code path}, inside {@code depth} containers: see {@link Json#of}. */
    public static Json from(Object v, String path, int depth) {
        // containers first, each in a small method: the recursion keeps two small frames per level, not one big one
        if (v instanceof Map<?, ?> m) {
            return fromMap(m, path, depth);
        }
        if (v instanceof Collection<?> c) {
            return fromCollection(c, path, depth);
        }
        return scalar(v, path);
    }

    private static void enterAt(int depth, String path) {
        if (depth >= Json.MAX_DEPTH) {
            enter(depth, "the data given to Json.of (at " + (path.length() <= PATH_SHOWN ? path
                    : path.substring(0, PATH_SHOWN) + "...") + ")");
        }
    }

    private static Obj fromMap(Map<?, ?> m, String path, int depth) {
        enterAt(depth, path);
        Map<String, Json> fields = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k)) {
                throw new IllegalArgumentException(path + ": a JSON object's keys are strings, not "
                        + (e.getKey() == null ? "null" : e.getKey().getClass().getName()));
            }
            fields.put(k, from(e.getValue(), path + "." + k, depth + 1));
        }
        return new Obj(fields);
    }

    private static Arr fromCollection(Collection<?> c, String path, int depth) {
        enterAt(depth, path);
        List<Json> items = new ArrayList<>(c.size());
        int i = 0;
        for (Object o : c) {
            items.add(from(o, path + "[" + i++ + "]", depth + 1));
        }
        return new Arr(items);
    }

    private static Json scalar(Object v, String path) {
        return switch (v) {
            case null -> Null.NULL;
            case Json j -> j;
            case String s -> new Str(s);
            case Boolean b -> new Bool(b);
            case Long l -> new Int(l);
            case Integer i -> new Int(i);
            case Short s -> new Int(s);
            case Byte b -> new Int(b);
            case Double d -> decimal(d, path);
            case Float f -> decimal(f, path);
            case BigInteger i -> {
                if (i.bitLength() >= Long.SIZE) {
                    throw new IllegalArgumentException(path + ": " + i + " does not fit a JSON whole number"
                            + " (a long)");
                }
                yield new Int(i.longValue());
            }
            case BigDecimal d -> d.stripTrailingZeros().scale() <= 0 && d.abs().compareTo(LONG_LIMIT) < 0
                    ? new Int(d.longValueExact()) : decimal(d.doubleValue(), path);
            default -> throw new IllegalArgumentException(path + ": a " + v.getClass().getName()
                    + " is not JSON-compatible data (maps, collections, strings, numbers, booleans, null)");
        };
    }

    private static final BigDecimal LONG_LIMIT = new BigDecimal(Long.MAX_VALUE);

    private static Dec decimal(double d, String path) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(path + ": JSON has no " + d);
        }
        return new Dec(d);
    }

    /** How deep {@code j} nests ({@link Json#depth()}), walked with a stack of its own rather than by recursion. */
    public static int depth(Json j) {
        record At(Json value, int depth) {
        }
        ArrayDeque<At> todo = new ArrayDeque<>();
        todo.push(new At(j, 0));
        int deepest = 0;
        while (!todo.isEmpty()) {
            At at = todo.pop();
            switch (at.value()) {
                case Obj o -> {
                    deepest = Math.max(deepest, at.depth() + 1);
                    o.fields().values().forEach(v -> todo.push(new At(v, at.depth() + 1)));
                }
                case Arr a -> {
                    deepest = Math.max(deepest, at.depth() + 1);
                    a.items().forEach(v -> todo.push(new At(v, at.depth() + 1)));
                }
                default -> {
                }
            }
        }
        return deepest;
    }

    private static final String VALUE = "a Json value";

    /** {@link Json#toPlain()} of {@code j}, inside {@code depth} containers. */
    public static Object toPlain(Json j, int depth) {
        return switch (j) {
            case Obj o -> {
                enter(depth, VALUE);
                Map<String, Object> m = new LinkedHashMap<>();
                for (Map.Entry<String, Json> e : new TreeMap<>(o.fields()).entrySet()) { // loops, not lambdas:
                    m.put(e.getKey(), toPlain(e.getValue(), depth + 1)); // one frame per level of recursion
                }
                yield m;
            }
            case Arr a -> {
                enter(depth, VALUE);
                List<Object> l = new ArrayList<>(a.items().size());
                for (Json v : a.items()) {
                    l.add(toPlain(v, depth + 1));
                }
                yield l;
            }
            case Str s -> s.value();
            case Int i -> i.value();
            case Dec d -> d.value();
            case Bool b -> b.value();
            case Null n -> null;
        };
    }

    /** Appends {@code j}'s JSON text ({@link Json#toJson()}), {@code j} being inside {@code depth} containers. */
    public static void write(Json j, StringBuilder b, int depth) {
        switch (j) {
            case Obj o -> {
                enter(depth, VALUE);
                b.append('{');
                boolean first = true;
                for (Map.Entry<String, Json> e : new TreeMap<>(o.fields()).entrySet()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    quote(e.getKey(), b);
                    b.append(':');
                    write(e.getValue(), b, depth + 1);
                }
                b.append('}');
            }
            case Arr a -> {
                enter(depth, VALUE);
                b.append('[');
                for (int i = 0; i < a.items().size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    write(a.items().get(i), b, depth + 1);
                }
                b.append(']');
            }
            case Str s -> quote(s.value(), b);
            case Int i -> b.append(i.value());
            case Dec d -> b.append(d.value());
            case Bool v -> b.append(v.value());
            case Null n -> b.append("null");
        }
    }

    private static void quote(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    // ---- a compact binary form, for the journal: a tag byte, then the value ----

    private static final int OBJ = 'o', ARR = 'a', STR = 's', INT = 'i', DEC = 'd', TRUE = 't', FALSE = 'f', NULL = 'n';

    /**
     * The binary form of {@code j}.
     *
     * @throws JsonDepthException if {@code j} nests deeper than {@link Json#MAX_DEPTH}: the decoder would refuse it
     */
    public static byte[] encode(Json j) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            encode(j, out, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    private static void encode(Json j, DataOutputStream out, int depth) throws IOException {
        switch (j) {
            case Obj o -> {
                enter(depth, VALUE);
                out.writeByte(OBJ);
                out.writeInt(o.fields().size());
                for (Map.Entry<String, Json> e : o.fields().entrySet()) {
                    writeString(e.getKey(), out);
                    encode(e.getValue(), out, depth + 1);
                }
            }
            case Arr a -> {
                enter(depth, VALUE);
                out.writeByte(ARR);
                out.writeInt(a.items().size());
                for (Json item : a.items()) {
                    encode(item, out, depth + 1);
                }
            }
            case Str s -> {
                out.writeByte(STR);
                writeString(s.value(), out);
            }
            case Int i -> {
                out.writeByte(INT);
                out.writeLong(i.value());
            }
            case Dec d -> {
                out.writeByte(DEC);
                out.writeDouble(d.value());
            }
            case Bool b -> out.writeByte(b.value() ? TRUE : FALSE);
            case Null n -> out.writeByte(NULL);
        }
    }

    /** Reads what {@link #encode(Json)} wrote. @throws IOException if the bytes are not such a value */
    public static Json decode(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        Json j = decode(in, 0);
        if (in.available() > 0) {
            throw new IOException(in.available() + " bytes left over after a JSON value");
        }
        return j;
    }

    /** Reads a value inside {@code depth} containers; damaged bytes must not overflow the stack. */
    private static Json decode(DataInputStream in, int depth) throws IOException {
        int tag = in.readUnsignedByte();
        if ((tag == OBJ || tag == ARR) && depth >= Json.MAX_DEPTH) {
            throw new IOException("JSON nested more than " + Json.MAX_DEPTH + " deep (Json.MAX_DEPTH)");
        }
        return switch (tag) {
            case OBJ -> {
                int n = count(in);
                Map<String, Json> fields = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    fields.put(readString(in), decode(in, depth + 1));
                }
                yield new Obj(fields);
            }
            case ARR -> {
                int n = count(in);
                List<Json> items = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    items.add(decode(in, depth + 1));
                }
                yield new Arr(items);
            }
            case STR -> new Str(readString(in));
            case INT -> new Int(in.readLong());
            case DEC -> new Dec(in.readDouble());
            case TRUE -> new Bool(true);
            case FALSE -> new Bool(false);
            case NULL -> Null.NULL;
            default -> throw new IOException("not a JSON value tag: " + tag);
        };
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) { // every element takes at least one byte
            throw new IOException("a JSON container of " + n + " elements in " + in.available() + " bytes");
        }
        return n;
    }

    private static void writeString(String s, DataOutputStream out) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = count(in);
        return new String(in.readNBytes(n), java.nio.charset.StandardCharsets.UTF_8);
    }
}
