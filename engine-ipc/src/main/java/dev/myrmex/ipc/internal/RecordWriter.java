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
import static dev.myrmex.ipc.internal.RecordFormat.NULL;
import static dev.myrmex.ipc.internal.RecordFormat.RECORD;
import static dev.myrmex.ipc.internal.RecordFormat.SHORT;
import static dev.myrmex.ipc.internal.RecordFormat.STRING;
import static dev.myrmex.ipc.internal.RecordFormat.TAG;

import dev.myrmex.core.Tag;
import dev.myrmex.core.Val;
import dev.myrmex.ipc.CodecException;
import dev.myrmex.ipc.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.agrona.MutableDirectBuffer;

/**
 * The sender's half of the record codec: sizes a value, then writes it. A record class gets a {@link Plan} once: the
 * kind of each primitive component (written unboxed) and, when every component is primitive, the record's fixed
 * encoded length, so sizing such a record reads nothing. The normal path builds no strings: where an unencodable value
 * sits is put together only when sizing fails. Stateless apart from the per-class plans; safe from any thread.
 */
public final class RecordWriter {
    private static final ClassValue<Object> PLANS = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            try {
                return new Plan(RecordShape.cached(type));
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

    /** What writing one record class takes. Immutable. */
    private static final class Plan {
        final RecordShape shape;
        final byte[] kinds; // per component: the kind a primitive is written as, or 0 (written as an object)
        final int headerLength; // kind, name, component count
        final int fixedLength; // the whole record's length when every component is primitive, else -1

        Plan(RecordShape shape) {
            this.shape = shape;
            this.kinds = new byte[shape.size()];
            this.headerLength = 1 + 2 + shape.nameBytes().length + 1;
            int fixed = headerLength;
            boolean allPrimitive = true;
            for (int i = 0; i < kinds.length; i++) {
                Class<?> t = shape.componentType(i);
                if (t.isPrimitive()) {
                    kinds[i] = RecordFormat.kindOf(t);
                    fixed += RecordFormat.primitiveLength(kinds[i]);
                } else {
                    allPrimitive = false;
                }
            }
            this.fixedLength = allPrimitive ? fixed : -1;
        }
    }

    /** Why a value cannot be encoded, and where it sits (put together on the way out); no stack trace. */
    private static final class Unencodable extends RuntimeException {
        private final StringBuilder where = new StringBuilder();

        Unencodable(String reason) {
            super(reason, null, false, false);
        }

        Unencodable in(String place) {
            where.append(where.isEmpty() ? "" : ", in ").append(place);
            return this;
        }

        CodecException toCodecException() {
            return new CodecException("cannot encode " + (where.isEmpty() ? "the message" : where + " of the message")
                    + ": " + getMessage());
        }
    }

    private RecordWriter() {
    }

    /**
     * The encoded length of {@code value}.
     *
     * @throws CodecException naming the component or element that cannot be encoded, and why
     */
    public static int encodedLength(Object value) {
        try {
            return sizeOf(value, 0);
        } catch (Unencodable u) {
            throw u.toCodecException();
        }
    }

    /**
     * Writes {@code value}, which {@link #encodedLength} accepted, at {@code at}.
     *
     * @return the index after it
     */
    public static int write(Object value, MutableDirectBuffer b, int at, MessageCodec.TagTable tags) {
        try {
            return put(value, b, at, tags);
        } catch (Unencodable u) { // only if the value changed since it was sized: it is meant to be immutable
            throw u.toCodecException();
        }
    }

    private static Plan plan(Class<?> type) {
        Object p = PLANS.get(type);
        if (p instanceof Plan plan) {
            return plan;
        }
        throw new Unencodable((String) p);
    }

    private static int sizeOf(Object v, int depth) {
        if (depth > MAX_DEPTH) {
            throw new Unencodable("nested deeper than " + MAX_DEPTH + " levels");
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
                    try {
                        if (e == null) {
                            throw new Unencodable("it is null (a list that crosses processes cannot hold null)");
                        }
                        n += sizeOf(e, depth + 1);
                    } catch (Unencodable u) {
                        throw u.in("element " + i);
                    }
                }
                yield n;
            }
            case Record rec when rec instanceof Val -> {
                Plan p = plan(rec.getClass());
                if (p.fixedLength >= 0) {
                    yield p.fixedLength;
                }
                int n = p.headerLength;
                for (int i = 0; i < p.kinds.length; i++) {
                    if (p.kinds[i] != 0) {
                        n += RecordFormat.primitiveLength(p.kinds[i]);
                        continue;
                    }
                    try {
                        n += sizeOf(p.shape.get(rec, i), depth + 1);
                    } catch (Unencodable u) {
                        throw u.in("component " + p.shape.componentName(i) + " of " + rec.getClass().getName());
                    }
                }
                yield n;
            }
            default -> throw notCarried(v);
        };
    }

    private static int put(Object v, MutableDirectBuffer b, int at, MessageCodec.TagTable tags) {
        switch (v) {
            case null -> b.putByte(at++, NULL);
            case Boolean x -> at = putBoolean(x, b, at);
            case Byte x -> at = putIntegral(BYTE, x, b, at);
            case Short x -> at = putIntegral(SHORT, x, b, at);
            case Character x -> at = putIntegral(CHAR, x, b, at);
            case Integer x -> at = putIntegral(INT, x, b, at);
            case Long x -> at = putIntegral(LONG, x, b, at);
            case Float x -> at = putFloating(FLOAT, x, b, at);
            case Double x -> at = putFloating(DOUBLE, x, b, at);
            case String s -> {
                b.putByte(at++, STRING);
                int len = writeUtf8(s, b, at + 4);
                b.putInt(at, len);
                at += 4 + len;
            }
            case Enum<?> e -> {
                b.putByte(at++, ENUM);
                at = putName(ENUM_NAMES.get(e.getDeclaringClass()), b, at);
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
                    at = put(e, b, at, tags);
                }
            }
            case Record rec -> {
                Plan p = plan(rec.getClass());
                RecordShape s = p.shape;
                b.putByte(at++, RECORD);
                at = putName(s.nameBytes(), b, at);
                b.putByte(at++, (byte) p.kinds.length);
                for (int i = 0; i < p.kinds.length; i++) {
                    byte kind = p.kinds[i];
                    at = switch (kind) {
                        case 0 -> put(s.get(rec, i), b, at, tags);
                        case BOOLEAN -> putBoolean(s.bool(rec, i), b, at);
                        case FLOAT, DOUBLE -> putFloating(kind, s.floating(rec, i), b, at);
                        default -> putIntegral(kind, s.integral(rec, i), b, at);
                    };
                }
            }
            default -> throw notCarried(v);
        }
        return at;
    }

    private static Unencodable notCarried(Object v) {
        return new Unencodable(v.getClass().getName() + " is none of the types the record codec carries (primitives"
                + " and their boxes, String, enums, Val records, agent references, lists of those)");
    }

    private static int putBoolean(boolean x, MutableDirectBuffer b, int at) {
        b.putByte(at, BOOLEAN);
        b.putByte(at + 1, (byte) (x ? 1 : 0));
        return at + 2;
    }

    private static int putIntegral(byte kind, long x, MutableDirectBuffer b, int at) {
        b.putByte(at, kind);
        switch (kind) {
            case BYTE -> b.putByte(at + 1, (byte) x);
            case SHORT -> b.putShort(at + 1, (short) x);
            case CHAR -> b.putChar(at + 1, (char) x);
            case INT -> b.putInt(at + 1, (int) x);
            default -> b.putLong(at + 1, x);
        }
        return at + RecordFormat.primitiveLength(kind);
    }

    private static int putFloating(byte kind, double x, MutableDirectBuffer b, int at) {
        b.putByte(at, kind);
        if (kind == FLOAT) {
            b.putFloat(at + 1, (float) x);
        } else {
            b.putDouble(at + 1, x);
        }
        return at + RecordFormat.primitiveLength(kind);
    }

    private static int putName(byte[] name, MutableDirectBuffer b, int at) {
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
}
