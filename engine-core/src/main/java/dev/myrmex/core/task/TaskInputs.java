package dev.myrmex.core.task;

import dev.myrmex.core.Val;
import dev.myrmex.core.codec.ValueCodec;
import dev.myrmex.core.internal.JsonSupport;
import dev.myrmex.core.journal.TaskSubmission;
import dev.myrmex.core.json.Json;
import java.time.Instant;
import java.util.List;

/**
 * Task inputs in the journal. The default codec, {@link #JSON}, journals {@link Json} inputs (and null); a runtime
 * whose tasks take other {@code Val}s is given a codec for them ({@link TaskSettings#inputCodec()}).
 * An input the codec cannot encode does not stop the submission: the task runs, and its record says why it could not
 * come back after a crash.
 */
public final class TaskInputs {
    /**
     * Encodes {@link Json} values (binary, id {@code myrmex-json-v1}) nested at most {@link Json#MAX_DEPTH} deep, the
     * depth its decoder reads back; refuses other types. (A submission refuses a deeper {@code Json} input before any
     * codec sees it.)
     */
    public static final ValueCodec<Val> JSON = ValueCodec.of("myrmex-json-v1", v -> {
        if (v instanceof Json j) {
            return JsonSupport.encode(j);
        }
        throw new IllegalArgumentException("the default task input codec journals Json inputs, not a "
                + v.getClass().getName() + ": give the runtime a task input codec for it");
    }, JsonSupport::decode);

    private TaskInputs() {
    }

    /** An input made ready for the journal: its bytes, or why there are none (both null: no input). */
    record Encoded(byte[] bytes, String whyNot) {
    }

    /** An input read back: the value (null: none), or why it could not be read. */
    record Decoded(Val input, String whyNot) {
    }

    static Encoded encode(ValueCodec<Val> codec, Val input) {
        if (input == null) {
            return new Encoded(null, null);
        }
        try {
            return new Encoded(codec.encode(input), null);
        } catch (Exception | LinkageError e) {
            return new Encoded(null, "codec " + codec.id() + " could not encode its " + input.getClass().getName()
                    + " input: " + e.getMessage());
        }
    }

    /** The journal's record of {@code r}'s submission as task {@code id}, waiting for {@code dependencies}. */
    static TaskSubmission submission(Instant time, long id, TaskRequest r, List<Long> dependencies, String codec,
                                     Encoded in) {
        return new TaskSubmission(time, id, false, r.name(), r.priority(), dependencies, r.timeout(), r.maxRetries(),
                in.bytes() == null ? null : codec, in.bytes(), in.whyNot());
    }

    static Decoded decode(ValueCodec<Val> codec, TaskSubmission r) {
        if (r.inputMissing() != null) {
            return new Decoded(null, "its input was never journalled (" + r.inputMissing() + ")");
        }
        if (r.inputCodec() == null) {
            return new Decoded(null, null);
        }
        if (!r.inputCodec().equals(codec.id())) {
            return new Decoded(null, "its input was journalled by codec '" + r.inputCodec() + "' but the runtime's"
                    + " task input codec is '" + codec.id() + "'");
        }
        try {
            return new Decoded(codec.decode(r.input()), null);
        } catch (Exception | LinkageError e) {
            return new Decoded(null, "codec " + codec.id() + " could not decode its input: " + e);
        }
    }
}
