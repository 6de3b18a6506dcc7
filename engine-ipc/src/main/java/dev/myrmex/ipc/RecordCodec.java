package dev.myrmex.ipc;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.Tag;
import dev.myrmex.core.Val;
import dev.myrmex.ipc.internal.RecordShape;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The ready {@link MessageCodec}: {@link Val} records (and {@code Val} enums) whose components are primitives or their
 * boxes, strings, enums, other {@code Val} records, agent references, and lists of those.
 *
 * <pre>{@code
 * record Fill(long qty, long priceMicros) implements Val {}
 * record Order(String symbol, Side side, List<Fill> fills, AgentRef<Ack> replyTo) implements Val {
 *     Order { fills = List.copyOf(fills); }
 * }
 * }</pre>
 *
 * <h2>Format</h2>
 * Self-describing: each value is a kind byte and its body. Primitives in their natural width; a string is a length
 * and UTF-8; an enum is its class name and ordinal; a record its class name, component count and components in
 * declaration order; a list its size and elements; a reference an address. A class name is a 2-byte length and
 * UTF-8. Decoding checks every kind against the component it fills and loads only {@code Val} records and enums (or
 * the enum a component declares), never initialising any other class a frame names; the record's canonical
 * constructor runs, so its validation applies. Nesting is limited to {@value #MAX_DEPTH} levels. Lists cannot hold
 * null (they are rebuilt with {@link List#of}); a record's null components can.
 */
public final class RecordCodec implements MessageCodec {
    /** The deepest nesting of records and lists a value may have. */
    public static final int MAX_DEPTH = 32;
    private static final int MAX_NAME = 512;

    private static final byte NULL = 0;
    private static final byte BOOLEAN = 1;
    private static final byte BYTE = 2;
    private static final byte SHORT = 3;
    private static final byte CHAR = 4;
    private static final byte INT = 5;
    private static final byte LONG = 6;
    private static final byte FLOAT = 7;
    private static final byte DOUBLE = 8;
    private static final byte STRING = 9;
    private static final byte ENUM = 10;
    private static final byte RECORD = 11;
    private static final byte LIST = 12;
    private static final byte TAG = 13;

    private static final ClassValue<Object> SHAPES = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            try {
                return RecordShape.of(type);
            } catch (IllegalArgumentException e) {
                return e.getMessage(); // remembered: the class stays unencodable
            }
        }
    };
    private static final ClassValue<byte[]> ENUM_NAMES = new ClassValue<>() {
        @Override
        protected byte[] computeValue(Class<?> type) {
            return type.getName().getBytes(StandardCharsets.UTF_8);
        }
    };

    /** Classes read off the wire that passed the checks, by name. */
    private final ConcurrentHashMap<String, Class<?>> loaded = new ConcurrentHashMap<>();

    public RecordCodec() {
    }

    @Override
    public int encodedLength(Val value) {
        return sizeOf(value, "the message", 0);
    }

    @Override
    public void encode(Val value, MutableDirectBuffer buffer, int offset, TagTable tags) {
        write(value, buffer, offset, tags);
    }

    @Override
    public Val decode(DirectBuffer buffer, int offset, int length, TagTable tags) throws FrameDecodeException {
        Reader r = new Reader(buffer, offset, offset + length, tags);
        Object v = r.value(Val.class, Object.class, 0);
        if (r.at != r.end) {
            throw new FrameDecodeException((r.end - r.at) + " bytes left over after the value");
        }
        if (!(v instanceof Val val)) {
            throw new FrameDecodeException("the frame holds no value");
        }
        return val;
    }

    // ---- sizing and writing (the sender) ----

    private static RecordShape shape(Class<?> type, String where) {
        Object s = SHAPES.get(type);
        if (s instanceof RecordShape shape) {
            return shape;
        }
        throw new CodecException("cannot encode " + where + ": " + s);
    }

    private int sizeOf(Object v, String where, int depth) {
        if (depth > MAX_DEPTH) {
            throw new CodecException("cannot encode " + where + ": nested deeper than " + MAX_DEPTH + " levels");
        }
        return switch (v) {
            case null -> 1;
            case Boolean b -> 2;
            case Byte b -> 2;
            case Short s -> 3;
            case Character c -> 3;
            case Integer i -> 5;
            case Long l -> 9;
            case Float f -> 5;
            case Double d -> 9;
            case String s -> 5 + utf8Length(s);
            case Enum<?> e -> 3 + ENUM_NAMES.get(e.getDeclaringClass()).length + 4;
            case Tag t -> 9;
            case List<?> list -> {
                int n = 5;
                for (int i = 0; i < list.size(); i++) {
                    Object e = list.get(i);
                    if (e == null) {
                        throw new CodecException("cannot encode " + where + ": element " + i + " is null (a list that"
                                + " crosses processes cannot hold null)");
                    }
                    n += sizeOf(e, "element " + i + " of " + where, depth + 1);
                }
                yield n;
            }
            case Record rec when rec instanceof Val -> {
                RecordShape s = shape(rec.getClass(), where);
                int n = 1 + 2 + s.nameBytes().length + 1;
                for (int i = 0; i < s.size(); i++) {
                    n += sizeOf(s.get(rec, i), "component " + s.componentName(i) + " of "
                            + rec.getClass().getName(), depth + 1);
                }
                yield n;
            }
            default -> throw new CodecException("cannot encode " + where + ": " + v.getClass().getName()
                    + " is none of the types the record codec carries (primitives and their boxes, String, enums,"
                    + " Val records, agent references, lists of those)");
        };
    }

    private int write(Object v, MutableDirectBuffer b, int at, TagTable tags) {
        switch (v) {
            case null -> b.putByte(at++, NULL);
            case Boolean x -> {
                b.putByte(at++, BOOLEAN);
                b.putByte(at++, (byte) (x ? 1 : 0));
            }
            case Byte x -> {
                b.putByte(at++, BYTE);
                b.putByte(at++, x);
            }
            case Short x -> {
                b.putByte(at++, SHORT);
                b.putShort(at, x);
                at += 2;
            }
            case Character x -> {
                b.putByte(at++, CHAR);
                b.putChar(at, x);
                at += 2;
            }
            case Integer x -> {
                b.putByte(at++, INT);
                b.putInt(at, x);
                at += 4;
            }
            case Long x -> {
                b.putByte(at++, LONG);
                b.putLong(at, x);
                at += 8;
            }
            case Float x -> {
                b.putByte(at++, FLOAT);
                b.putFloat(at, x);
                at += 4;
            }
            case Double x -> {
                b.putByte(at++, DOUBLE);
                b.putDouble(at, x);
                at += 8;
            }
            case String s -> {
                b.putByte(at++, STRING);
                int len = writeUtf8(s, b, at + 4);
                b.putInt(at, len);
                at += 4 + len;
            }
            case Enum<?> e -> {
                b.putByte(at++, ENUM);
                at = writeName(ENUM_NAMES.get(e.getDeclaringClass()), b, at);
                b.putInt(at, e.ordinal());
                at += 4;
            }
            case Tag t -> {
                b.putByte(at++, TAG);
                b.putLong(at, tags.addressOf(t));
                at += 8;
            }
            case List<?> list -> {
                b.putByte(at++, LIST);
                b.putInt(at, list.size());
                at += 4;
                for (Object e : list) {
                    at = write(e, b, at, tags);
                }
            }
            case Record rec -> {
                RecordShape s = shape(rec.getClass(), "a record");
                b.putByte(at++, RECORD);
                at = writeName(s.nameBytes(), b, at);
                b.putByte(at++, (byte) s.size());
                for (int i = 0; i < s.size(); i++) {
                    at = write(s.get(rec, i), b, at, tags);
                }
            }
            default -> throw new CodecException("cannot encode " + v.getClass().getName());
        }
        return at;
    }

    private static int writeName(byte[] name, MutableDirectBuffer b, int at) {
        b.putShort(at, (short) name.length);
        b.putBytes(at + 2, name);
        return at + 2 + name.length;
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3; // a lone surrogate is written as the replacement character, 3 bytes like any BMP char
            }
        }
        return n;
    }

    private static int writeUtf8(String s, MutableDirectBuffer b, int at) {
        int start = at;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b.putByte(at++, (byte) c);
            } else if (c < 0x800) {
                b.putByte(at++, (byte) (0xC0 | (c >> 6)));
                b.putByte(at++, (byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b.putByte(at++, (byte) (0xF0 | (cp >> 18)));
                b.putByte(at++, (byte) (0x80 | ((cp >> 12) & 0x3F)));
                b.putByte(at++, (byte) (0x80 | ((cp >> 6) & 0x3F)));
                b.putByte(at++, (byte) (0x80 | (cp & 0x3F)));
            } else {
                char w = Character.isSurrogate(c) ? '\uFFFD' : c;
                b.putByte(at++, (byte) (0xE0 | (w >> 12)));
                b.putByte(at++, (byte) (0x80 | ((w >> 6) & 0x3F)));
                b.putByte(at++, (byte) (0x80 | (w & 0x3F)));
            }
        }
        return at - start;
    }

    // ---- reading (the receiver): every length checked against the frame, every class against the component ----

    private final class Reader {
        private final DirectBuffer b;
        private final int end;
        private final TagTable tags;
        private int at;

        Reader(DirectBuffer b, int at, int end, TagTable tags) {
            this.b = b;
            this.at = at;
            this.end = end;
            this.tags = tags;
        }

        private void need(int n, String what) throws FrameDecodeException {
            if (n < 0 || end - at < n) {
                throw new FrameDecodeException("truncated " + what + ": needs " + n + " bytes, " + (end - at)
                        + " left");
            }
        }

        /** One value, to fill a place of type {@code expected} (a list's {@code element} type for LIST). */
        Object value(Class<?> expected, Class<?> element, int depth) throws FrameDecodeException {
            if (depth > MAX_DEPTH) {
                throw new FrameDecodeException("nested deeper than " + MAX_DEPTH + " levels");
            }
            need(1, "kind");
            byte kind = b.getByte(at++);
            return switch (kind) {
                case NULL -> {
                    if (expected.isPrimitive()) {
                        throw new FrameDecodeException("null for a " + expected.getName());
                    }
                    yield null;
                }
                case BOOLEAN -> {
                    check(expected, boolean.class, Boolean.class);
                    need(1, "boolean");
                    byte x = b.getByte(at++);
                    if (x != 0 && x != 1) {
                        throw new FrameDecodeException("boolean byte " + x);
                    }
                    yield x == 1;
                }
                case BYTE -> {
                    check(expected, byte.class, Byte.class);
                    need(1, "byte");
                    yield b.getByte(at++);
                }
                case SHORT -> {
                    check(expected, short.class, Short.class);
                    need(2, "short");
                    short x = b.getShort(at);
                    at += 2;
                    yield x;
                }
                case CHAR -> {
                    check(expected, char.class, Character.class);
                    need(2, "char");
                    char x = b.getChar(at);
                    at += 2;
                    yield x;
                }
                case INT -> {
                    check(expected, int.class, Integer.class);
                    need(4, "int");
                    int x = b.getInt(at);
                    at += 4;
                    yield x;
                }
                case LONG -> {
                    check(expected, long.class, Long.class);
                    need(8, "long");
                    long x = b.getLong(at);
                    at += 8;
                    yield x;
                }
                case FLOAT -> {
                    check(expected, float.class, Float.class);
                    need(4, "float");
                    float x = b.getFloat(at);
                    at += 4;
                    yield x;
                }
                case DOUBLE -> {
                    check(expected, double.class, Double.class);
                    need(8, "double");
                    double x = b.getDouble(at);
                    at += 8;
                    yield x;
                }
                case STRING -> {
                    check(expected, String.class, String.class);
                    need(4, "string length");
                    int len = b.getInt(at);
                    at += 4;
                    need(len, "string");
                    String s = b.getStringWithoutLengthUtf8(at, len);
                    at += len;
                    yield s;
                }
                case ENUM -> enumValue(expected);
                case RECORD -> record(expected, depth);
                case LIST -> list(expected, element, depth);
                case TAG -> {
                    if (!expected.isAssignableFrom(AgentRef.class)) {
                        throw new FrameDecodeException("an agent reference where a " + expected.getName()
                                + " belongs");
                    }
                    need(8, "address");
                    long address = b.getLong(at);
                    at += 8;
                    yield tags.tagAt(address);
                }
                default -> throw new FrameDecodeException("unknown value kind " + kind);
            };
        }

        private void check(Class<?> expected, Class<?> primitive, Class<?> boxed) throws FrameDecodeException {
            if (expected != primitive && !expected.isAssignableFrom(boxed)) {
                throw new FrameDecodeException("a " + boxed.getSimpleName() + " where a " + expected.getName()
                        + " belongs");
            }
        }

        private Class<?> type() throws FrameDecodeException {
            need(2, "class name length");
            int len = b.getShort(at) & 0xFFFF;
            at += 2;
            if (len == 0 || len > MAX_NAME) {
                throw new FrameDecodeException("class name of " + len + " bytes");
            }
            need(len, "class name");
            String name = b.getStringWithoutLengthUtf8(at, len);
            at += len;
            Class<?> c = loaded.get(name);
            if (c != null) {
                return c;
            }
            if (!plausibleName(name)) {
                throw new FrameDecodeException("not a class name: '" + printable(name) + "'");
            }
            try {
                ClassLoader loader = Thread.currentThread().getContextClassLoader();
                c = Class.forName(name, false, loader != null ? loader : RecordCodec.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new FrameDecodeException("unknown class " + name, e);
            }
            if (!Val.class.isAssignableFrom(c) && !c.isEnum()) {
                throw new FrameDecodeException(name + " is not a Val: refused");
            }
            if (c.isEnum() || c.isRecord()) {
                loaded.put(name, c);
            }
            return c;
        }

        private Object enumValue(Class<?> expected) throws FrameDecodeException {
            Class<?> c = type();
            if (!c.isEnum() || !expected.isAssignableFrom(c) || (c != expected && !Val.class.isAssignableFrom(c))) {
                throw new FrameDecodeException(c.getName() + " where a " + expected.getName() + " belongs");
            }
            need(4, "ordinal");
            int ordinal = b.getInt(at);
            at += 4;
            Object[] constants = c.getEnumConstants();
            if (ordinal < 0 || ordinal >= constants.length) {
                throw new FrameDecodeException("ordinal " + ordinal + " of " + c.getName() + ", which has "
                        + constants.length + " constants");
            }
            return constants[ordinal];
        }

        private Object record(Class<?> expected, int depth) throws FrameDecodeException {
            Class<?> c = type();
            if (!c.isRecord() || !Val.class.isAssignableFrom(c) || !expected.isAssignableFrom(c)) {
                throw new FrameDecodeException(c.getName() + " where a " + expected.getName() + " belongs");
            }
            Object s = SHAPES.get(c);
            if (!(s instanceof RecordShape shape)) {
                throw new FrameDecodeException("record " + c.getName() + " cannot be decoded: " + s);
            }
            need(1, "component count");
            int n = b.getByte(at++) & 0xFF;
            if (n != shape.size()) {
                throw new FrameDecodeException(c.getName() + " has " + shape.size() + " components, the frame "
                        + n);
            }
            Object[] values = new Object[n];
            for (int i = 0; i < n; i++) {
                values[i] = value(shape.componentType(i), shape.elementType(i), depth + 1);
            }
            try {
                return shape.construct(values);
            } catch (Exception e) {
                throw new FrameDecodeException("the constructor of " + c.getName() + " refused the decoded values: "
                        + e, e);
            }
        }

        private Object list(Class<?> expected, Class<?> element, int depth) throws FrameDecodeException {
            if (!expected.isAssignableFrom(List.class)) {
                throw new FrameDecodeException("a list where a " + expected.getName() + " belongs");
            }
            need(4, "list size");
            int n = b.getInt(at);
            at += 4;
            need(n, "list of " + n + " elements"); // each element takes at least one byte: bounds the allocation
            Object[] elements = new Object[n];
            Class<?> target = element.isPrimitive() ? Object.class : element;
            for (int i = 0; i < n; i++) {
                Object e = value(target, Object.class, depth + 1);
                if (e == null) {
                    throw new FrameDecodeException("null element " + i + " in a list");
                }
                elements[i] = e;
            }
            return List.of(elements);
        }
    }

    private static boolean plausibleName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isJavaIdentifierPart(c) || c == '.') || c == 0) {
                return false;
            }
        }
        return Character.isJavaIdentifierStart(name.charAt(0));
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(80).forEach(cp -> b.append(cp >= 0x20 && cp < 0x7F ? (char) cp : '?'));
        return b.toString();
    }
}
