package dev.myrmex.journal.internal;

import dev.myrmex.core.journal.Checkpoint;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalRecord;
import dev.myrmex.core.journal.Severity;
import java.nio.BufferOverflowException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.CRC32C;

/**
 * The bytes of one journal record, format version {@value #FORMAT_VERSION}. All numbers big-endian:
 *
 * <pre>
 * byte   kind           1 event, 2 checkpoint
 * long   epoch second   the record's time
 * int    nanos
 * event:      byte type (EventType's position), byte severity, str agent, str task, str details
 * checkpoint: str agent, str factory, str codec, int length, byte[length] state
 * int    CRC-32C        of every byte before it
 * str:   int length (-1: null), then that many bytes of UTF-8
 * </pre>
 *
 * Text is stored as UTF-8, so a lone surrogate (not text, but a Java string may hold one) comes back as '?'.
 *
 * The checksum makes a damaged record visible: {@link #decode} says so instead of returning garbage.
 *
 * <p>Not thread-safe: one codec per thread (its buffer is reused from record to record).
 */
public final class RecordCodec {
    /** The format this codec writes and reads; a journal written by a newer one is refused. */
    public static final int FORMAT_VERSION = 1;

    private static final byte EVENT = 1;
    private static final byte CHECKPOINT = 2;
    private static final EventType[] TYPES = EventType.values();
    private static final Severity[] SEVERITIES = Severity.values();

    private final CRC32C crc = new CRC32C();
    private byte[] buf = new byte[256];
    private int length;

    /** Encodes {@code r} into this codec's buffer: read it with {@link #buffer()} and {@link #length()}. */
    public void encode(JournalRecord r) {
        while (true) {
            ByteBuffer out = ByteBuffer.wrap(buf);
            try {
                write(out, r);
                int body = out.position();
                out.putInt(0); // room for the checksum
                crc.reset();
                crc.update(buf, 0, body);
                out.putInt(body, (int) crc.getValue());
                length = out.position();
                return;
            } catch (BufferOverflowException full) {
                buf = new byte[buf.length * 2];
            }
        }
    }

    /** The last record {@link #encode}d: the first {@link #length()} bytes. */
    public byte[] buffer() {
        return buf;
    }

    public int length() {
        return length;
    }

    private static void write(ByteBuffer out, JournalRecord r) {
        switch (r) {
            case JournalEvent e -> {
                out.put(EVENT);
                time(out, e.time());
                out.put((byte) e.type().ordinal());
                out.put((byte) e.severity().ordinal());
                string(out, e.agent());
                string(out, e.task());
                string(out, e.details());
            }
            case Checkpoint c -> {
                out.put(CHECKPOINT);
                time(out, c.time());
                string(out, c.agent());
                string(out, c.factory());
                string(out, c.codec());
                byte[] state = c.state();
                out.putInt(state.length);
                out.put(state);
            }
        }
    }

    private static void time(ByteBuffer out, Instant t) {
        out.putLong(t.getEpochSecond());
        out.putInt(t.getNano());
    }

    private static void string(ByteBuffer out, String s) {
        if (s == null) {
            out.putInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.putInt(b.length);
        out.put(b);
    }

    /**
     * The record in {@code bytes[0, length)}, or null when it is an event that {@code filter} rejects (decided before
     * its strings are decoded, where it can be). Checkpoints pass any filter.
     *
     * @throws DamagedRecordException if the checksum does not match or the bytes do not parse
     */
    public JournalRecord decode(byte[] bytes, int length, EventFilter filter) {
        if (length < 1 + 12 + Integer.BYTES) {
            throw new DamagedRecordException("record of " + length + " bytes is shorter than any valid record");
        }
        crc.reset();
        crc.update(bytes, 0, length - Integer.BYTES);
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
        int stored = in.getInt(length - Integer.BYTES);
        if ((int) crc.getValue() != stored) {
            throw new DamagedRecordException("checksum mismatch (stored " + Integer.toHexString(stored) + ", computed "
                    + Integer.toHexString((int) crc.getValue()) + ")");
        }
        in.limit(length - Integer.BYTES);
        try {
            byte kind = in.get();
            Instant time = Instant.ofEpochSecond(in.getLong(), in.getInt());
            return switch (kind) {
                case EVENT -> event(in, time, filter);
                case CHECKPOINT -> new Checkpoint(time, string(in), string(in), string(in), bytes(in));
                default -> throw new DamagedRecordException("unknown record kind " + kind);
            };
        } catch (BufferUnderflowException | IllegalArgumentException | NullPointerException
                 | java.time.DateTimeException e) {
            throw new DamagedRecordException("record does not parse: " + e);
        }
    }

    private static JournalEvent event(ByteBuffer in, Instant time, EventFilter filter) {
        int type = in.get();
        int severity = in.get();
        if (type < 0 || type >= TYPES.length || severity < 0 || severity >= SEVERITIES.length) {
            throw new DamagedRecordException("unknown event type " + type + " or severity " + severity);
        }
        EventType t = TYPES[type];
        Severity s = SEVERITIES[severity];
        if (!filter.types().isEmpty() && !filter.types().contains(t) || !s.atLeast(filter.minSeverity())
                || filter.since() != null && time.isBefore(filter.since())) {
            return null;
        }
        JournalEvent e = new JournalEvent(time, t, s, string(in), string(in), string(in));
        return filter.test(e) ? e : null;
    }

    private static String string(ByteBuffer in) {
        int n = in.getInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > in.remaining()) {
            throw new DamagedRecordException("string length " + n + " with " + in.remaining() + " bytes left");
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }

    private static byte[] bytes(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new DamagedRecordException("state length " + n + " with " + in.remaining() + " bytes left");
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    /** A record whose bytes are not what was written: see the message for how they differ. */
    public static final class DamagedRecordException extends RuntimeException {
        public DamagedRecordException(String message) {
            super(message);
        }
    }
}
