package dev.myrmex.journal;

import dev.myrmex.core.AgentContext;
import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.Message;
import dev.myrmex.core.MessageHandler;
import dev.myrmex.core.Val;
import dev.myrmex.core.codec.ValueCodec;
import dev.myrmex.core.journal.Checkpoint;
import dev.myrmex.core.journal.ForwardingJournal;
import dev.myrmex.core.journal.JournalRecord;
import dev.myrmex.core.recovery.AgentFactory;
import dev.myrmex.core.recovery.Checkpointable;
import dev.myrmex.core.recovery.RecoveryReport;
import dev.myrmex.journal.internal.RecordCodec;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * The child JVM of {@link KillRecoveryTest}: recovers from the journal, then works until it is killed. It tells the
 * parent, on standard output, what it hands the journal and what the journal acknowledged:
 *
 * <pre>
 * R agent sha          recovered agent from the checkpoint whose state has that SHA-256
 * N agent reason       agent not recovered
 * W sha                a checkpoint state about to be appended (flushed before the append)
 * A digest             a record the journal acknowledged (its append returned): SHA-256 of its encoding
 * READY n              recovery done, n agents back
 * </pre>
 */
public final class KillWorkload {
    record Add(int n) implements Val {
    }

    static final int COUNTERS = 8;

    /** A counter whose checkpoint is its total followed by filler bytes derived from it (1 to 4 KB). */
    static final class Counter implements MessageHandler<Add>, Checkpointable<Long> {
        private long total;

        Counter(Long restored) {
            total = restored == null ? 0 : restored;
        }

        @Override
        public void handle(AgentContext<Add> ctx, Message<Add> m) {
            total += m.payload().n();
        }

        @Override
        public Long checkpoint() {
            return total;
        }
    }

    static final ValueCodec<Long> CODEC = ValueCodec.of("counter-filled-v1", total -> {
        int size = 1024 + Math.floorMod(total * 2654435761L, 3072);
        ByteBuffer b = ByteBuffer.allocate(Long.BYTES + size).putLong(total);
        for (int i = 0; i < size; i++) {
            b.put((byte) (total + i));
        }
        return b.array();
    }, bytes -> {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long total = b.getLong();
        for (int i = 0; b.hasRemaining(); i++) {
            if (b.get() != (byte) (total + i)) {
                throw new IllegalStateException("filler byte " + i + " of a checkpoint does not match its total");
            }
        }
        return total;
    });

    static String sha(byte[] bytes, int length) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(bytes, 0, length);
            return HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The digest the parent computes for every record it reads back: the SHA-256 of its encoding as record #0 (the
     * record's content; the child cannot know the number the journal gives it).
     */
    static String digest(RecordCodec codec, JournalRecord r) {
        codec.encode(r, 0);
        return sha(codec.buffer(), codec.length());
    }

    /** The journal, telling the parent what it is handed and what it acknowledged. */
    static final class Reporting extends ForwardingJournal {
        private final PrintStream out;
        private final RecordCodec codec = new RecordCodec();

        Reporting(ChronicleJournal journal, PrintStream out) {
            super(journal);
            this.out = out;
        }

        @Override
        public void append(List<? extends JournalRecord> batch) {
            boolean any = false;
            for (JournalRecord r : batch) {
                if (r instanceof Checkpoint c) {
                    byte[] s = c.state();
                    out.println("W " + sha(s, s.length));
                    any = true;
                }
            }
            if (any) {
                out.flush(); // in the pipe before the bytes can reach the journal
            }
            super.append(batch);
            StringBuilder acks = new StringBuilder();
            for (JournalRecord r : batch) {
                acks.append("A ").append(digest(codec, r)).append('\n');
            }
            out.print(acks);
            out.flush();
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String run = args[1];
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false);
        AgentFactory<Add, Long> counters = AgentFactory.of(CODEC, (name, s) -> Behaviors.nonBlocking(new Counter(s)));
        try (Reporting journal = new Reporting(ChronicleJournal.open(dir), out);
             AgentRuntime rt = AgentRuntime.builder().workers(2).journal(journal).factory("counter", counters)
                     .checkpointInterval(Duration.ofMillis(3)).build()) {
            rt.start();
            RecoveryReport report = rt.recovery();
            for (RecoveryReport.Recovered r : report.recovered()) {
                byte[] s = r.from().state();
                out.println("R " + r.agent() + " " + sha(s, s.length));
            }
            for (RecoveryReport.NotRecovered n : report.notRecovered()) {
                out.println("N " + n.agent() + " " + n.reason().replace('\n', ' '));
            }
            out.println("READY " + report.recovered().size() + " damaged " + report.damagedRecords());
            out.flush();
            for (int i = 0; i < COUNTERS; i++) {
                if (rt.lookup("counter-" + i).isEmpty()) {
                    rt.spawn("counter-" + i, counters);
                }
            }
            List<AgentRef<Add>> refs = new java.util.ArrayList<>();
            for (int i = 0; i < COUNTERS; i++) {
                refs.add(ref(rt, "counter-" + i));
            }
            for (long n = 0; ; n++) { // until killed
                refs.get((int) (n % COUNTERS)).signal(new Add(1));
                if (n % 64 == 0) { // a short-lived agent: spawned and stopped events with a unique name
                    AgentHandle<Add> e = rt.spawn("e-" + run + "-" + n, Behaviors.<Add>nonBlocking((c, m) -> { }));
                    e.stop();
                }
                if (n % 256 == 0) {
                    Thread.onSpinWait();
                    Thread.sleep(0, 200_000); // the workload's pace, not a wait for a condition
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static AgentRef<Add> ref(AgentRuntime rt, String name) {
        return (AgentRef<Add>) rt.lookup(name).orElseThrow().ref();
    }

    private KillWorkload() {
    }
}
