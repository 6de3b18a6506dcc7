package dev.myrmex.journal.internal;

import static dev.myrmex.journal.internal.AckFileDescriptor.COUNT_OFFSET;
import static dev.myrmex.journal.internal.AckFileDescriptor.CRC_OFFSET;
import static dev.myrmex.journal.internal.AckFileDescriptor.FILE_LENGTH;
import static dev.myrmex.journal.internal.AckFileDescriptor.FILE_NAME;
import static dev.myrmex.journal.internal.AckFileDescriptor.LAYOUT;
import static dev.myrmex.journal.internal.AckFileDescriptor.LAYOUT_OFFSET;
import static dev.myrmex.journal.internal.AckFileDescriptor.MAGIC;
import static dev.myrmex.journal.internal.AckFileDescriptor.MAGIC_OFFSET;
import static dev.myrmex.journal.internal.AckFileDescriptor.SLOTS;
import static dev.myrmex.journal.internal.AckFileDescriptor.USED_LENGTH;
import static dev.myrmex.journal.internal.AckFileDescriptor.slotOffset;

import dev.myrmex.core.journal.JournalException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The journal's count of acknowledged records, in {@value AckFileDescriptor#FILE_NAME} (layout and protocol in
 * {@link AckFileDescriptor}).
 *
 * <p>Threads: one writer (the journal's appending thread, under the journal's monitor) {@link #store}s through a
 * memory map, and {@link #close}s it; any thread or process {@link #read}s the file with a plain read, at any time.
 */
public final class AckFile {
    /** A count read from the file, or why there is none ({@code count} -1 then). */
    public record Reading(long count, String problem) {
        public boolean readable() {
            return problem == null;
        }
    }

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Arena arena; // unmaps the file when closed (a MappedByteBuffer stays mapped until collected)
    private final MemorySegment map;
    private long stored;
    private int next; // the slot the next store goes to

    private AckFile(Arena arena, MemorySegment map, long stored, int next) {
        this.arena = arena;
        this.map = map;
        this.stored = stored;
        this.next = next;
    }

    /** Makes the file for a new journal, with a count of 0, whole or not at all (a temporary file, then a move). */
    public static void create(Path dir) {
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        ByteBuffer b = ByteBuffer.allocate(FILE_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(MAGIC_OFFSET, MAGIC).putInt(LAYOUT_OFFSET, LAYOUT);
        for (int i = 0; i < SLOTS; i++) {
            put(b, slotOffset(i), 0);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new JournalException(dir, "cannot create " + dir.resolve(FILE_NAME) + ": " + e, e);
        }
        try {
            Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new JournalException(dir, "cannot create " + dir.resolve(FILE_NAME) + ": " + e, e);
        }
    }

    /** The count in {@code dir}'s file now, or why it cannot be read. */
    public static Reading read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        ByteBuffer b = ByteBuffer.allocate(USED_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        for (int attempt = 0; ; attempt++) {
            b.clear();
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
                    // positional reads until the used part is in
                }
            } catch (NoSuchFileException e) {
                return new Reading(-1, file + " is missing: the count of acknowledged records is gone, so records"
                        + " lost at the end cannot be ruled out");
            } catch (IOException e) {
                return new Reading(-1, "cannot read " + file + ": " + e);
            }
            Reading r = parse(file, b);
            if (r.readable() || attempt == 1 || b.position() < USED_LENGTH || b.getLong(MAGIC_OFFSET) != MAGIC) {
                return r; // a second try only for two torn slots, which a racing writer can cause once
            }
        }
    }

    private static Reading parse(Path file, ByteBuffer b) {
        if (b.position() < USED_LENGTH) {
            return new Reading(-1, file + " is " + b.position() + " bytes long, too short for its " + USED_LENGTH
                    + ": the count of acknowledged records is gone, so records lost at the end cannot be ruled out");
        }
        if (b.getLong(MAGIC_OFFSET) != MAGIC || b.getInt(LAYOUT_OFFSET) != LAYOUT) {
            return new Reading(-1, file + " does not start with the journal's marker (found 0x"
                    + Long.toHexString(b.getLong(MAGIC_OFFSET)) + "): the count of acknowledged records is unreadable,"
                    + " so records lost at the end cannot be ruled out");
        }
        long best = -1;
        for (int i = 0; i < SLOTS; i++) {
            long count = b.getLong(slotOffset(i) + COUNT_OFFSET);
            if (b.getInt(slotOffset(i) + CRC_OFFSET) == crc(count) && count >= 0) {
                best = Math.max(best, count);
            }
        }
        return best >= 0 ? new Reading(best, null) : new Reading(-1, "both slots of " + file + " fail their checksums:"
                + " the count of acknowledged records is unreadable, so records lost at the end cannot be ruled out");
    }

    /**
     * Maps {@code dir}'s file for the journal's writer.
     *
     * @throws JournalException if it cannot be read or mapped
     */
    public static AckFile openForWriting(Path dir) {
        Reading r = read(dir);
        if (!r.readable()) {
            throw new JournalException(dir, r.problem());
        }
        Path file = dir.resolve(FILE_NAME);
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment map = ch.map(FileChannel.MapMode.READ_WRITE, 0, FILE_LENGTH, arena);
            int next = map.get(LONG, slotOffset(0) + COUNT_OFFSET) == r.count() ? 1 : 0; // keep the slot holding it
            return new AckFile(arena, map, r.count(), next);
        } catch (IOException e) {
            arena.close();
            throw new JournalException(dir, "cannot map " + file + " for writing: " + e, e);
        }
    }

    /** The last count stored (or read when the file was opened). */
    public long stored() {
        return stored;
    }

    /** Stores {@code count}: call once the records it counts can be read back. A store into the page cache. */
    public void store(long count) {
        int slot = slotOffset(next);
        map.set(LONG, slot + COUNT_OFFSET, count); // the count first, its checksum second: see AckFileDescriptor
        map.set(INT, slot + CRC_OFFSET, crc(count));
        next ^= 1;
        stored = count;
    }

    /** Writes the mapped page to the device (for a power-loss-safe close). */
    public void force() {
        map.force();
    }

    /** Unmaps the file. */
    public void close() {
        arena.close();
    }

    private static void put(ByteBuffer b, int slot, long count) {
        b.putLong(slot + COUNT_OFFSET, count);
        b.putInt(slot + CRC_OFFSET, crc(count));
    }

    private static int crc(long count) {
        CRC32C c = new CRC32C();
        ByteBuffer b = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(0, count);
        c.update(b);
        return (int) c.getValue();
    }
}
