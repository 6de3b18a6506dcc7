package dev.myrmex.ipc.internal;

/**
 * The value kinds of the record codec's format ({@link dev.myrmex.ipc.RecordCodec} describes it): one byte before
 * each value. Shared by {@link RecordWriter} and {@link RecordReader}; the numbers are wire format, never renumber.
 */
public final class RecordFormat {
    static final byte NULL = 0;
    static final byte BOOLEAN = 1;
    static final byte BYTE = 2;
    static final byte SHORT = 3;
    static final byte CHAR = 4;
    static final byte INT = 5;
    static final byte LONG = 6;
    static final byte FLOAT = 7;
    static final byte DOUBLE = 8;
    static final byte STRING = 9;
    static final byte ENUM = 10;
    static final byte RECORD = 11;
    static final byte LIST = 12;
    static final byte TAG = 13;

    /** The deepest nesting of records and lists a value may have. */
    public static final int MAX_DEPTH = 32;
    /** The longest class name, in UTF-8 bytes, a frame may carry. */
    static final int MAX_NAME = 512;

    private RecordFormat() {
    }

    /** The kind a primitive of class {@code type} is written as. */
    static byte kindOf(Class<?> type) {
        if (type == boolean.class) {
            return BOOLEAN;
        } else if (type == byte.class) {
            return BYTE;
        } else if (type == short.class) {
            return SHORT;
        } else if (type == char.class) {
            return CHAR;
        } else if (type == int.class) {
            return INT;
        } else if (type == long.class) {
            return LONG;
        } else if (type == float.class) {
            return FLOAT;
        } else if (type == double.class) {
            return DOUBLE;
        }
        throw new IllegalArgumentException(type + " is not a primitive type");
    }

    /** The encoded length of a primitive of kind {@code kind}, with its kind byte. */
    static int primitiveLength(byte kind) {
        return switch (kind) {
            case BOOLEAN, BYTE -> 2;
            case SHORT, CHAR -> 3;
            case INT, FLOAT -> 5;
            case LONG, DOUBLE -> 9;
            default -> throw new IllegalArgumentException("kind " + kind + " is not a primitive");
        };
    }
}
