package dev.myrmex.jmh.ipc;

import dev.myrmex.core.Behavior;
import dev.myrmex.core.DirectContext;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.Val;
import dev.myrmex.ipc.RecordCodec;

/** The messages and the child behavior of the IPC benchmarks. */
public final class IpcMessages {
    private IpcMessages() {
    }

    /** 4 longs: about 80 bytes encoded, 120 with the frame header. */
    public record Ping(long n, long a, long b, long c) implements Val {
    }

    /** The frame length of a {@link Ping}: what the bare ring sends too, so both move the same bytes. */
    public static int frameLength() {
        return 40 + new RecordCodec().encodedLength(new Ping(1, 2, 3, 4));
    }

    /** Replies to each message with the message itself (a Ping is a Val: shared, re-encoded on the way back). */
    public static final class Echo implements Behavior<Sendable> {
        @Override
        public void run(DirectContext<Sendable> ctx) throws Exception {
            while (true) {
                Message<Sendable> m = ctx.receive();
                if (m.hasSender()) {
                    ctx.reply(m, m.payload());
                }
            }
        }
    }
}
