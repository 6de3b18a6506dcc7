package dev.myrmex.ipc;

import dev.myrmex.core.Val;
import dev.myrmex.ipc.internal.RecordFormat;
import dev.myrmex.ipc.internal.RecordReader;
import dev.myrmex.ipc.internal.RecordWriter;
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
 * null (they are rebuilt with {@code List.of}); a record's null components can.
 *
 * <p>Also a checkpoint or task input codec (id {@value #ID}): {@code TaskSettings.DEFAULTS.withInputCodec(new
 * RecordCodec())} journals any such record as a task's input. Agent references are refused there.
 */
public final class RecordCodec implements MessageCodec {
    /** The deepest nesting of records and lists a value may have. */
    public static final int MAX_DEPTH = RecordFormat.MAX_DEPTH;

    private final RecordReader reader = new RecordReader();

    /** The id stored with the bytes it writes outside a channel (a checkpoint, a task's input). */
    public static final String ID = "myrmex-record-v1";

    public RecordCodec() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int encodedLength(Val value) {
        return RecordWriter.encodedLength(value);
    }

    @Override
    public void encode(Val value, MutableDirectBuffer buffer, int offset, TagTable tags) {
        RecordWriter.write(value, buffer, offset, tags);
    }

    @Override
    public Val decode(DirectBuffer buffer, int offset, int length, TagTable tags) throws FrameDecodeException {
        return reader.decode(buffer, offset, length, tags);
    }
}
