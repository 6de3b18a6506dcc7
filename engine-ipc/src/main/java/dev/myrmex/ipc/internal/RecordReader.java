package dev.myrmex.ipc.internal;

import static dev.myrmex.ipc.internal.RecordFormat.BOOLEAN;
import static dev.myrmex.ipc.internal.RecordFormat.BYTE;
import static dev.myrmex.ipc.internal.RecordFormat.CHAR;
import static dev.myrmex.ipc.internal.RecordFormat.DOUBLE;
import static dev.myrmex.ipc.internal.RecordFormat.ENUM;
import static dev.myrmex.ipc.internal.RecordFormat.FLOAT;
import static dev.myrmex.ipc.internal.RecordFormat.INT;
import static dev.myrmex.ipc.internal.RecordFormat.LIST;
import static dev.myrmex.ipc.internal.RecordFormat.LONG;
import static dev.myrmex.ipc.internal.RecordFormat.MAX_DEPTH;
import static dev.myrmex.ipc.internal.RecordFormat.MAX_NAME;
import static dev.myrmex.ipc.internal.RecordFormat.NULL;
import static dev.myrmex.ipc.internal.RecordFormat.RECORD;
import static dev.myrmex.ipc.internal.RecordFormat.SHORT;
import static dev.myrmex.ipc.internal.RecordFormat.STRING;
import static dev.myrmex.ipc.internal.RecordFormat.TAG;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.Val;
import dev.myrmex.ipc.FrameDecodeException;
import dev.myrmex.ipc.MessageCodec;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The receiver's half of the record codec: every length checked against the frame, every class against the place it
 * fills, only {@code Val} records and enums loaded (never initialised otherwise). Classes that passed the checks are
 * remembered by name, and the most recent by their bytes, so a class name on the wire is usually matched without
 * building a string. Safe from any thread: the remembered entries are immutable and published racily, which their
 * final fields make safe.
 */
public final class RecordReader {
    private static final int RECENT = 64; // a power of two

    /** A class name's bytes and the class it named, which passed the checks. Immutable. */
    private record Known(UnsafeBuffer name, Class<?> type) {
    }

    /** Classes read off the wire that passed the checks, by name. */
    private final ConcurrentHashMap<String, Class<?>> loaded = new ConcurrentHashMap<>();
    private final Known[] recent = new Known[RECENT];

    public RecordReader() {
    }

    /**
     * Decodes the one value in the {@code length} bytes at {@code offset}.
     *
     * @throws FrameDecodeException if they are not exactly one well-formed {@code Val}
     */
    public Val decode(DirectBuffer buffer, int offset, int length, MessageCodec.TagTable tags)
            throws FrameDecodeException {
        if (offset < 0 || length < 0 || (long) offset + length > buffer.capacity()) {
            throw new FrameDecodeException("a value of " + length + " bytes at " + offset + " runs past the "
                    + buffer.capacity() + " bytes there are");
        }
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

    /** The remembered class whose name is the {@code len} bytes at {@code at}, or null. */
    private Class<?> recent(DirectBuffer b, int at, int len) {
        Known k = recent[slot(b, at, len)];
        if (k == null || k.name.capacity() != len) {
            return null;
        }
        UnsafeBuffer name = k.name;
        int i = 0;
        for (; i + Long.BYTES <= len; i += Long.BYTES) { // eight bytes at a time: names are tens of bytes long
            if (name.getLong(i) != b.getLong(at + i)) {
                return null;
            }
        }
        for (; i < len; i++) {
            if (name.getByte(i) != b.getByte(at + i)) {
                return null;
            }
        }
        return k.type;
    }

    private void remember(DirectBuffer b, int at, int len, Class<?> type) {
        byte[] name = new byte[len];
        b.getBytes(at, name);
        recent[slot(b, at, len)] = new Known(new UnsafeBuffer(name), type);
    }

    /** The slot of a name: from its length and its last eight bytes, where class names of one package differ. */
    private static int slot(DirectBuffer b, int at, int len) {
        long tail = len >= Long.BYTES ? b.getLong(at + len - Long.BYTES) : b.getByte(at);
        long h = (tail ^ len) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 58) & (RECENT - 1);
    }

    private final class Reader {
        private final DirectBuffer b;
        private final int end;
        private final MessageCodec.TagTable tags;
        private int at;

        Reader(DirectBuffer b, int at, int end, MessageCodec.TagTable tags) {
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
            int nameAt = at;
            at += len;
            Class<?> c = recent(b, nameAt, len);
            if (c != null) {
                return c;
            }
            String name = b.getStringWithoutLengthUtf8(nameAt, len);
            c = loaded.get(name);
            if (c == null) {
                c = load(name);
            }
            if (c.isEnum() || c.isRecord()) {
                remember(b, nameAt, len, c);
            }
            return c;
        }

        private Class<?> load(String name) throws FrameDecodeException {
            if (!plausibleName(name)) {
                throw new FrameDecodeException("not a class name: '" + printable(name) + "'");
            }
            Class<?> c;
            try {
                ClassLoader loader = Thread.currentThread().getContextClassLoader();
                c = Class.forName(name, false, loader != null ? loader : RecordReader.class.getClassLoader());
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
            RecordShape shape;
            try {
                shape = RecordShape.cached(c);
            } catch (IllegalArgumentException e) {
                throw new FrameDecodeException("record " + c.getName() + " cannot be decoded: " + e.getMessage());
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
            // Each element takes at least two bytes (a kind and a value; a null element is refused): the array below
            // is bounded by the bytes the frame really holds, never by the size it claims.
            if (n < 0 || n > (end - at) / 2) {
                throw new FrameDecodeException("a list of " + n + " elements in " + (end - at) + " bytes");
            }
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
