package dev.myrmex.journal.internal;

/**
 * The layout of one journal record, format version {@value #FORMAT_VERSION}: one Chronicle Queue excerpt each. All
 * numbers big-endian.
 *
 * <pre>
 *  offset  size  field
 *       0     1  kind           1 event, 2 checkpoint, 3 task submission
 *       1     8  sequence       the record's place in the journal: 0, 1, 2, ... never skipped, never repeated
 *       9     8  epoch second   the record's time
 *      17     4  nanos
 *      21     .  body           by kind, below
 *     n-4     4  CRC-32C        of bytes [0, n-4)
 *
 * event body:      byte type (EventType's position), byte severity, str agent, str task, str details
 * checkpoint body: str agent, str factory, str codec, int length, byte[length] state
 * task body:       long task id, byte requeued (0 or 1), str name, int priority, int n, long[n] dependencies,
 *                  long timeout seconds (-1: none), int timeout nanos, int max retries, str input codec,
 *                  bytes input, str input missing
 * bytes:           int length (-1: null), then that many bytes
 * str:             int length (-1: null), then that many bytes of UTF-8
 * </pre>
 *
 * <p><b>The sequence</b> is what makes loss visible: the journal numbers its records 0, 1, 2, ... as it appends
 * them, never skipping or repeating one, so a reader that meets #7 after #4 knows that #5 and #6 are lost, whatever
 * happened to the bytes in between (a damaged record, a header Chronicle skips, a deleted cycle file). With the count
 * of acknowledged records kept apart ({@link AckFileDescriptor}), a reader whose records end at #499 when 1,000 were
 * acknowledged knows that #500 to #999 are unreadable. The checksum makes a damaged record visible: it is never read
 * as another record.
 *
 * <p>Versions: 1 had no sequence numbers; 2 kept a task's submission as a text line in its event's details; 3 keeps it
 * as a task record.
 *
 * <p>Decode rules: a record shorter than {@link #MIN_LENGTH}, with a checksum that does not match, an unknown kind,
 * type or severity, a string or byte array running past the end, or a task record that breaks
 * {@code TaskSubmission}'s rules is damaged, whole.
 */
public final class RecordDescriptor {
    /** The format this build writes and reads; a journal in another one is refused. */
    public static final int FORMAT_VERSION = 3;

    public static final int KIND_OFFSET = 0;
    public static final int SEQUENCE_OFFSET = 1;
    public static final int EPOCH_SECOND_OFFSET = 9;
    public static final int NANOS_OFFSET = 17;
    public static final int BODY_OFFSET = 21;
    /** The trailer: the CRC-32C of every byte before it. */
    public static final int CRC_LENGTH = Integer.BYTES;
    /** The shortest valid record: a header and a checksum (no body is that short, but the check is cheap). */
    public static final int MIN_LENGTH = BODY_OFFSET + CRC_LENGTH;

    public static final byte EVENT = 1;
    public static final byte CHECKPOINT = 2;
    public static final byte TASK = 3;

    private RecordDescriptor() {
    }
}
