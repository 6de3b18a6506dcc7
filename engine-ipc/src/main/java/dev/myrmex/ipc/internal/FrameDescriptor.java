package dev.myrmex.ipc.internal;

import org.agrona.concurrent.ringbuffer.RecordDescriptor;

/**
 * The layout of one frame in a channel's ring buffers: the ring's own record header (length and message type,
 * written by Agrona), then our header, then the payload. All numbers little-endian (the machine's order: both ends
 * share one machine).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |R|                 record length (Agrona)                      |  \ the ring's record header;
 *  +---------------------------------------------------------------+   > negative length while the
 *  |                 message type (Agrona)                         |  /  writer has not committed
 *  +===============================================================+  &lt;- frame offset 0
 *  |  capability   |   iso kind    |           version             |
 *  +---------------------------------------------------------------+
 *  |                      payload length                           |
 *  +---------------------------------------------------------------+
 *  |                      sender address                           |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      target address                           |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      correlation id                           |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |              enqueue time (System.nanoTime)                   |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 payload ...  (payload length bytes)          ...
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <ul>
 *   <li><b>capability</b>: {@link #VAL} (the payload is a value encoded by the channel's codec), {@link #ISO} (the
 *       payload is the raw bytes of a moved buffer; <b>iso kind</b> says which: {@link #ISO_BYTE_BUFFER},
 *       {@link #ISO_BYTE_ARRAY}), {@link #TAG} (the payload is one address, 8 bytes).</li>
 *   <li><b>addresses</b>: see {@link Addresses}; 0 means none (a sender that is not an agent).</li>
 *   <li><b>correlation id</b>: pairs a control frame with the request it answers; 0 on agent messages.</li>
 *   <li><b>enqueue time</b>: {@code System.nanoTime()} of the sender, comparable across processes on Linux
 *       (both read CLOCK_MONOTONIC).</li>
 * </ul>
 * A frame whose version, capability, iso kind or lengths are not as written here is refused whole with a
 * {@link dev.myrmex.ipc.FrameDecodeException}; the ring's record length bounds every read.
 */
public final class FrameDescriptor {
    /** Agrona's record header, before our frame: length then type, 4 bytes each. */
    public static final int RING_HEADER_LENGTH = RecordDescriptor.HEADER_LENGTH;

    public static final int CAPABILITY_OFFSET = 0;
    public static final int ISO_KIND_OFFSET = 1;
    public static final int VERSION_OFFSET = 2;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int SENDER_OFFSET = 8;
    public static final int TARGET_OFFSET = 16;
    public static final int CORRELATION_OFFSET = 24;
    public static final int ENQUEUED_OFFSET = 32;
    /** Our header's length; the payload starts here. */
    public static final int HEADER_LENGTH = 40;

    /** The one version this build writes and reads. */
    public static final short VERSION = 1;

    public static final byte VAL = 0;
    public static final byte ISO = 1;
    public static final byte TAG = 2;

    public static final byte ISO_NONE = 0;
    public static final byte ISO_BYTE_BUFFER = 1;
    public static final byte ISO_BYTE_ARRAY = 2;

    // ---- message types (Agrona's type field: must be positive) ----
    /** An agent message, either way. */
    public static final int MESSAGE = 1;
    /** Child to parent: the behavior started; payload empty. */
    public static final int STARTED = 2;
    /**
     * Child to parent: the behavior ended; payload = outcome byte ({@link #OUTCOME_STOPPED}, {@link #OUTCOME_FAILED})
     * then a UTF-8 text (the failure, or the result's text) filling the rest. The frame's capability and iso kind are
     * VAL and none.
     */
    public static final int ENDED = 3;

    public static final byte OUTCOME_STOPPED = 0;
    public static final byte OUTCOME_FAILED = 1;

    /**
     * Either way: a message whose sender is {@code target}, an address on the receiving side, became a dead letter
     * on the writing side (its recipient failed on it, had stopped, was full...): the receiving side tells that
     * address (an {@code ask}'s reply address fails its ask at once). Payload = the dead letter's reason (the ordinal
     * of {@link dev.myrmex.core.DeadLetter.Reason}: both sides run one build, the version says so) then a UTF-8 text,
     * the cause's stack trace as the writing side printed it, empty if none. Sender: none.
     */
    public static final int BOUNCED = 4;

    private FrameDescriptor() {
    }

    /** The frame length for a payload of {@code payloadLength} bytes. */
    public static int frameLength(int payloadLength) {
        return HEADER_LENGTH + payloadLength;
    }

    /** Whether {@code type} is one of ours. */
    public static boolean isKnownType(int type) {
        return type == MESSAGE || type == STARTED || type == ENDED || type == BOUNCED;
    }
}
