package dev.myrmex.journal.internal;

import dev.myrmex.core.journal.Checkpoint;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalRecord;
import dev.myrmex.core.journal.Severity;
import dev.myrmex.core.journal.TaskSubmission;
import java.nio.BufferOverflowException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Encodes and decodes journal records in the layout of {@link RecordDescriptor}. Text is stored as UTF-8, so a lone
 * surrogate (not text, but a Java string may hold one) comes back as '?'.
 *
 * <p>Not thread-safe: one codec per thread (its buffer is reused from record to record).
 */
public final class RecordCodec {
    private static final EventType[] TYPES = EventType.values();
    private static final Severity[] SEVERITIES = Severity.values();

    private final CRC32C crc = new CRC32C();
    private byte[] buf = new byte[256];
    private int length;
    private long sequence = -1;

    /**
     * Encodes {@code r} as record number {@code sequence} into this codec's buffer: read it with {@link #buffer()}
     * and {@link #length()}.
     */
    public void encode(JournalRecord r, long sequence) {
        while (true) {
            ByteBuffer out = ByteBuffer.wrap(buf);
            try {
                write(out, r, sequence);
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

    private static void write(ByteBuffer out, JournalRecord r, long sequence) {
        switch (r) {
            case JournalEvent e -> {
                out.put(RecordDescriptor.EVENT);
                out.putLong(sequence);
                time(out, e.time());
                out.put((byte) e.type().ordinal());
                out.put((byte) e.severity().ordinal());
                string(out, e.agent());
                string(out, e.task());
                string(out, e.details());
            }
            case Checkpoint c -> {
                out.put(RecordDescriptor.CHECKPOINT);
                out.putLong(sequence);
                time(out, c.time());
                string(out, c.agent());
                string(out, c.factory());
                string(out, c.codec());
                bytes(out, c.state());
            }
            case TaskSubmission t -> {
                out.put(RecordDescriptor.TASK);
                out.putLong(sequence);
                time(out, t.time());
                out.putLong(t.task());
                out.put((byte) (t.requeued() ? 1 : 0));
                string(out, t.name());
                out.putInt(t.priority());
                out.putInt(t.dependencies().size());
                for (long d : t.dependencies()) {
                    out.putLong(d);
                }
                out.putLong(t.timeout() == null ? -1 : t.timeout().getSeconds());
                out.putInt(t.timeout() == null ? 0 : t.timeout().getNano());
                out.putInt(t.maxRetries());
                string(out, t.inputCodec());
                bytes(out, t.input());
                string(out, t.inputMissing());
            }
        }
    }

    private static void bytes(ByteBuffer out, byte[] b) {
        if (b == null) {
            out.putInt(-1);
            return;
        }
        out.putInt(b.length);
        out.put(b);
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
     * Checks the record in {@code bytes[0, length)} (its length and checksum) and returns its sequence number, without
     * decoding the rest: for reads that only count, and for checking that an append can be read back.
     *
     * @throws DamagedRecordException if it is too short or its checksum does not match
     */
    public long check(byte[] bytes, int length) {
        if (length < RecordDescriptor.MIN_LENGTH) {
            throw new DamagedRecordException("record of " + length + " bytes is shorter than any valid record");
        }
        crc.reset();
        crc.update(bytes, 0, length - RecordDescriptor.CRC_LENGTH);
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
        int stored = in.getInt(length - RecordDescriptor.CRC_LENGTH);
        if ((int) crc.getValue() != stored) {
            throw new DamagedRecordException("checksum mismatch (stored " + Integer.toHexString(stored) + ", computed "
                    + Integer.toHexString((int) crc.getValue()) + ")");
        }
        sequence = in.getLong(RecordDescriptor.SEQUENCE_OFFSET);
        return sequence;
    }

    /**
     * The record in {@code bytes[0, length)}, or null when it is an event or a task submission that {@code filter}
     * rejects (a submission by its {@link TaskSubmission#event()}; decided before its strings are decoded, where it
     * can be). Checkpoints pass any filter. Either way {@link #sequence()} is its
     * sequence number afterwards.
     *
     * @throws DamagedRecordException if the checksum does not match or the bytes do not parse
     */
    public JournalRecord decode(byte[] bytes, int length, EventFilter filter) {
        check(bytes, length);
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
        in.limit(length - RecordDescriptor.CRC_LENGTH);
        try {
            byte kind = in.get(RecordDescriptor.KIND_OFFSET);
            in.position(RecordDescriptor.EPOCH_SECOND_OFFSET);
            Instant time = Instant.ofEpochSecond(in.getLong(), in.getInt());
            return switch (kind) {
                case RecordDescriptor.EVENT -> event(in, time, filter);
                case RecordDescriptor.CHECKPOINT -> new Checkpoint(time, string(in), string(in), string(in), bytes(in));
                case RecordDescriptor.TASK -> task(in, time, filter);
                default -> throw new DamagedRecordException("unknown record kind " + kind);
            };
        } catch (BufferUnderflowException | IllegalArgumentException | NullPointerException | ArithmeticException
                 | java.time.DateTimeException e) {
            throw new DamagedRecordException("record does not parse: " + e);
        }
    }

    /** The sequence number of the record last {@link #check}ed or {@link #decode}d; -1 before the first. */
    public long sequence() {
        return sequence;
    }

    private static JournalEvent event(ByteBuffer in, Instant time, EventFilter filter) {
        int type = in.get();
        int severity = in.get();
        if (type < 0 || type >= TYPES.length || severity < 0 || severity >= SEVERITIES.length) {
            throw new DamagedRecordException("unknown event type " + type + " or severity " + severity);
        }
        EventType t = TYPES[type];
        Severity s = SEVERITIES[severity];
        if (!mayPass(filter, t, s, time)) {
            return null;
        }
        JournalEvent e = new JournalEvent(time, t, s, string(in), string(in), string(in));
        return filter.test(e) ? e : null;
    }

    /** Whether an event of this type, severity and time may pass {@code filter}: the test before any string. */
    private static boolean mayPass(EventFilter filter, EventType type, Severity severity, Instant time) {
        return (filter.types().isEmpty() || filter.types().contains(type)) && severity.atLeast(filter.minSeverity())
                && (filter.since() == null || !time.isBefore(filter.since()));
    }

    private static TaskSubmission task(ByteBuffer in, Instant time, EventFilter filter) {
        long id = in.getLong();
        byte requeued = in.get();
        if (requeued != 0 && requeued != 1) {
            throw new DamagedRecordException("task record's requeued flag is " + requeued);
        }
        EventType type = requeued == 1 ? EventType.TASK_REQUEUED : EventType.TASK_SUBMITTED;
        if (!mayPass(filter, type, type.severity(), time)) {
            return null;
        }
        String name = string(in);
        int priority = in.getInt();
        int n = in.getInt();
        if (n < 0 || n > in.remaining() / Long.BYTES) {
            throw new DamagedRecordException("dependency count " + n + " with " + in.remaining() + " bytes left");
        }
        List<Long> deps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            deps.add(in.getLong());
        }
        long seconds = in.getLong();
        int nanos = in.getInt();
        Duration timeout = seconds == -1 ? null : Duration.ofSeconds(seconds, nanos);
        TaskSubmission t = new TaskSubmission(time, id, requeued == 1, name, priority, deps, timeout, in.getInt(),
                string(in), nullableBytes(in), string(in));
        return filter.test(t.event()) ? t : null;
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

    private static byte[] nullableBytes(ByteBuffer in) {
        if (in.getInt(in.position()) == -1) {
            in.getInt();
            return null;
        }
        return bytes(in);
    }

    private static byte[] bytes(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new DamagedRecordException("byte array length " + n + " with " + in.remaining() + " bytes left");
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
