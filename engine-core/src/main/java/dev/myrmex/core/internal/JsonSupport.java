package dev.myrmex.core.internal;

import dev.myrmex.core.Json;
import dev.myrmex.core.Json.Arr;
import dev.myrmex.core.Json.Bool;
import dev.myrmex.core.Json.Dec;
import dev.myrmex.core.Json.Int;
import dev.myrmex.core.Json.Null;
import dev.myrmex.core.Json.Obj;
import dev.myrmex.core.Json.Str;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link Json}'s conversions between plain data, {@code Json} and JSON text. */
public final class JsonSupport {
    private JsonSupport() {
    }

    public static Json from(Object v, String path) {
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
            case Map<?, ?> m -> {
                Map<String, Json> fields = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String k)) {
                        throw new IllegalArgumentException(path + ": a JSON object's keys are strings, not "
                                + (e.getKey() == null ? "null" : e.getKey().getClass().getName()));
                    }
                    fields.put(k, from(e.getValue(), path + "." + k));
                }
                yield new Obj(fields);
            }
            case Collection<?> c -> {
                List<Json> items = new ArrayList<>(c.size());
                int i = 0;
                for (Object o : c) {
                    items.add(from(o, path + "[" + i++ + "]"));
                }
                yield new Arr(items);
            }
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

    public static void write(Json j, StringBuilder b) {
        switch (j) {
            case Obj o -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<String, Json> e : new TreeMap<>(o.fields()).entrySet()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    quote(e.getKey(), b);
                    b.append(':');
                    write(e.getValue(), b);
                }
                b.append('}');
            }
            case Arr a -> {
                b.append('[');
                for (int i = 0; i < a.items().size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    write(a.items().get(i), b);
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
    /** Nesting deeper than this is refused when decoding: damaged bytes must not overflow the stack. */
    private static final int MAX_DEPTH = 512;

    /** The binary form of {@code j}. */
    public static byte[] encode(Json j) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            encode(j, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    private static void encode(Json j, DataOutputStream out) throws IOException {
        switch (j) {
            case Obj o -> {
                out.writeByte(OBJ);
                out.writeInt(o.fields().size());
                for (Map.Entry<String, Json> e : o.fields().entrySet()) {
                    writeString(e.getKey(), out);
                    encode(e.getValue(), out);
                }
            }
            case Arr a -> {
                out.writeByte(ARR);
                out.writeInt(a.items().size());
                for (Json item : a.items()) {
                    encode(item, out);
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

    private static Json decode(DataInputStream in, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("JSON nested deeper than " + MAX_DEPTH);
        }
        int tag = in.readUnsignedByte();
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
