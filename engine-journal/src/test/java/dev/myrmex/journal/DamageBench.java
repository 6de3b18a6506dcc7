package dev.myrmex.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalRecord;
import dev.myrmex.journal.internal.RecordCodec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

/**
 * Test support: a journal of known content on disk, where each record lies in Chronicle's cycle files, and damage done
 * by hand to those files, as a failing disk, a careless operator or a crash would.
 *
 * <p>Where records lie is found by walking Chronicle's excerpt headers the way its readers do (a 4-byte little-endian
 * header: bit 31 not complete, bit 30 metadata, 30 bits of length; the next header 4-byte aligned), and every data
 * excerpt found is checked to hold the next record: the walk is proven on each journal before it is damaged.
 */
final class DamageBench {
    /** Damage done to one cycle file. */
    enum Kind {
        /** One bit of the file flipped. */
        BIT_FLIP,
        /** 64 bytes overwritten with random ones. */
        RANDOM_BYTES,
        /** The 4 KiB page around a place zeroed. */
        ZERO_PAGE,
        /** The file cut short at a place. */
        TRUNCATE,
        /** Every byte of the file zeroed (its length kept). */
        ZERO_FILE,
        /** The file emptied (length 0). */
        EMPTY_FILE,
        /** The file deleted. */
        DELETE_FILE
    }

    /** Record {@code sequence}'s excerpt, header and all: bytes [start, end) of {@code file}. */
    record Place(Path file, long start, long end, long sequence) {
    }

    private static final int NOT_COMPLETE = 0x8000_0000;
    private static final int META_DATA = 0x4000_0000;
    private static final int LENGTH = 0x3fff_ffff;
    /** Enough of a cycle file to hold every record a test writes (its index comes first, 64 KiB). */
    private static final int PREFIX = 8 << 20;

    final Path dir;
    final SetTimeProvider clock = new SetTimeProvider(Instant.parse("2026-11-21T10:00:00Z"));
    final UnaryOperator<SingleChronicleQueueBuilder> tuning =
            b -> b.rollCycle(TestRollCycles.TEST_SECONDLY).timeProvider(clock);

    DamageBench(Path dir) {
        this.dir = dir;
    }

    /** Record {@code i} of a test journal: an event whose text names it, {@code size} bytes of it. */
    static JournalRecord record(int i, int size) {
        String text = "record-" + i + "-" + "x".repeat(Math.max(0, size));
        return new JournalEvent(Instant.ofEpochSecond(1_700_000_000L + i, i), EventType.AGENT_SPAWNED,
                EventType.AGENT_SPAWNED.severity(), "agent-" + i % 7, null, text);
    }

    /** Writes {@code n} records of random sizes spread over {@code cycles} cycle files; returns them in order. */
    List<JournalRecord> write(int n, int cycles, SplittableRandom random) {
        List<JournalRecord> all = new ArrayList<>();
        try (ChronicleJournal j = ChronicleJournal.open(dir, tuning)) {
            for (int c = 0; c < cycles; c++) {
                int upTo = (int) ((long) n * (c + 1) / cycles);
                List<JournalRecord> batch = new ArrayList<>();
                while (all.size() < upTo) {
                    JournalRecord r = record(all.size(), random.nextInt(400));
                    batch.add(r);
                    all.add(r);
                    if (batch.size() == 97 || all.size() == upTo) {
                        j.append(batch);
                        batch = new ArrayList<>();
                    }
                }
                clock.advanceMillis(1_000); // the next records go into the next cycle's file
            }
        }
        return all;
    }

    /** The journal's cycle files, oldest first. */
    List<Path> cycleFiles() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where every record lies, in order; checks each holds the next record number. */
    List<Place> places() {
        List<Place> out = new ArrayList<>();
        RecordCodec codec = new RecordCodec();
        for (Path f : cycleFiles()) {
            byte[] b = prefix(f);
            ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            int pos = 0;
            while (pos + 4 <= b.length) {
                int h = in.getInt(pos);
                if (h == 0 || (h & NOT_COMPLETE) != 0) {
                    break; // the end, or the end-of-cycle marker
                }
                int len = h & LENGTH;
                if ((h & META_DATA) == 0) {
                    long seq = codec.check(Arrays.copyOfRange(b, pos + 4, pos + 4 + len), len);
                    assertEquals(out.size(), seq, "the walk of " + f + " found record #" + seq + " at " + pos);
                    out.add(new Place(f, pos, pos + 4L + len, seq));
                }
                pos = (pos + 4 + len + 3) & ~3;
            }
        }
        return out;
    }

    /** The first bytes of {@code f}: all a test's records. */
    static byte[] prefix(Path f) {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
            byte[] b = new byte[(int) Math.min(raf.length(), PREFIX)];
            raf.readFully(b);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the last record of {@code f} ends (0 if it holds none). */
    static long dataEnd(Path f, List<Place> places) {
        return places.stream().filter(p -> p.file().equals(f)).mapToLong(Place::end).max().orElse(0);
    }

    /**
     * Does {@code kind} to {@code file} at {@code offset}; returns a description and fills {@code touched} with the
     * records whose excerpt bytes (header or body) it changed.
     */
    static String apply(Kind kind, Path file, long offset, SplittableRandom random, List<Place> places,
                        Set<Long> touched) {
        byte[] before = prefix(file);
        try {
            switch (kind) {
                case BIT_FLIP -> overwrite(file, offset, new byte[] {(byte) (before[(int) offset]
                        ^ (1 << random.nextInt(8)))});
                case RANDOM_BYTES -> {
                    byte[] noise = new byte[64];
                    random.nextBytes(noise);
                    overwrite(file, offset, noise);
                }
                case ZERO_PAGE -> overwrite(file, offset & ~4095L, new byte[4096]);
                case TRUNCATE -> {
                    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                        raf.setLength(offset);
                    }
                }
                case ZERO_FILE -> {
                    long size = Files.size(file);
                    Files.delete(file);
                    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                        raf.setLength(size); // a hole: zeros
                    }
                }
                case EMPTY_FILE -> Files.write(file, new byte[0]);
                case DELETE_FILE -> Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] after = Files.exists(file) ? prefix(file) : new byte[0];
        Set<Long> hit = new HashSet<>();
        for (Place p : places) {
            if (!p.file().equals(file)) {
                continue;
            }
            for (long i = p.start(); i < p.end(); i++) {
                if (i >= after.length || after[(int) i] != before[(int) i]) {
                    hit.add(p.sequence());
                    break;
                }
            }
        }
        touched.addAll(hit);
        return kind + " of " + file.getFileName() + (kind.ordinal() <= Kind.TRUNCATE.ordinal() ? " at " + offset : "")
                + ", changing " + hit.size() + " records' bytes";
    }

    private static void overwrite(Path file, long offset, byte[] bytes) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            raf.write(bytes, 0, (int) Math.min(bytes.length, Math.max(0, raf.length() - offset)));
        }
    }
}
