package dev.myrmex.ipc.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * One channel between a parent and the child process that hosts one agent: a memory-mapped file holding two
 * many-to-one rings and the channel's counters.
 *
 * <pre>
 *  offset 0        +----------------------------------------------+
 *                  | header: magic "MYRMEXIP" (8), version (4),    |
 *                  | ring capacity (4), counters (4), parent pid (8)|
 *  HEADER_LENGTH   +----------------------------------------------+
 *                  | ring to the child: capacity + Agrona trailer  |  producers: parent threads
 *                  +----------------------------------------------+  consumer: the hosted behavior
 *                  | ring to the parent: capacity + trailer        |  producers: child threads
 *                  +----------------------------------------------+  consumer: the parent's reader
 *                  | counters metadata: COUNTERS x 512             |
 *                  +----------------------------------------------+
 *                  | counter values: COUNTERS x 128                |
 *                  +----------------------------------------------+
 * </pre>
 * The parent creates and sizes the file (mode 0600 in a private directory) and allocates the counters; the child maps
 * the existing file and checks the header against the file's size before it trusts any offset. The ring to the child
 * outlives child restarts (messages sent while a child restarts wait in it); the parent clears the ring to the parent
 * and the child's counters before each new child, when no child process exists.
 */
public final class Channel {
    static final long MAGIC = 0x50495845_4D52594DL; // the bytes "MYRMEXIP", read as a little-endian long
    static final int VERSION = 1;
    static final int HEADER_LENGTH = 128;
    private static final int COUNTERS = Counter.values().length;

    private final Path file;
    private final MappedByteBuffer mapped;
    private final ManyToOneRingBuffer toChild;
    private final ManyToOneRingBuffer toParent;
    private final UnsafeBuffer toParentBuffer;
    private final CountersReader counters;
    private final AtomicCounter[] counter = new AtomicCounter[COUNTERS];

    private Channel(Path file, MappedByteBuffer mapped, int capacity) {
        this.file = file;
        this.mapped = mapped;
        int ringLength = capacity + RingBufferDescriptor.TRAILER_LENGTH;
        int at = HEADER_LENGTH;
        toChild = new ManyToOneRingBuffer(new UnsafeBuffer(mapped, at, ringLength));
        at += ringLength;
        toParentBuffer = new UnsafeBuffer(mapped, at, ringLength);
        toParent = new ManyToOneRingBuffer(toParentBuffer);
        at += ringLength;
        UnsafeBuffer metadata = new UnsafeBuffer(mapped, at, COUNTERS * CountersReader.METADATA_LENGTH);
        at += COUNTERS * CountersReader.METADATA_LENGTH;
        UnsafeBuffer values = new UnsafeBuffer(mapped, at, COUNTERS * CountersReader.COUNTER_LENGTH);
        counters = new CountersReader(metadata, values, StandardCharsets.US_ASCII);
        for (Counter c : Counter.values()) {
            counter[c.id()] = new AtomicCounter(values, c.id());
        }
    }

    static long length(int capacity) {
        return HEADER_LENGTH + 2L * (capacity + RingBufferDescriptor.TRAILER_LENGTH)
                + (long) COUNTERS * (CountersReader.METADATA_LENGTH + CountersReader.COUNTER_LENGTH);
    }

    /**
     * Creates the channel file {@code file} (mode 0600; its directory must be private) with rings of {@code capacity}
     * bytes each, a power of two.
     */
    public static Channel create(Path file, int capacity) throws IOException {
        if (capacity < ManyToOneRingBuffer.MIN_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two: " + capacity);
        }
        PrivateDirectory.createFile(file);
        long length = length(capacity);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
        MappedByteBuffer mapped = IoUtil.mapExistingFile(file.toFile(), "myrmex channel");
        UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        header.putInt(8, VERSION);
        header.putInt(12, capacity);
        header.putInt(16, COUNTERS);
        header.putLong(24, ProcessHandle.current().pid());
        Channel channel = new Channel(file, mapped, capacity);
        CountersManager manager = new CountersManager(channel.counters.metaDataBuffer(),
                channel.counters.valuesBuffer(), StandardCharsets.US_ASCII);
        for (Counter c : Counter.values()) {
            int id = manager.allocate(c.label());
            if (id != c.id()) {
                throw new IllegalStateException("counter " + c + " got id " + id);
            }
        }
        header.putLongVolatile(0, MAGIC); // last: a child that sees the magic sees a complete file
        return channel;
    }

    /**
     * Maps an existing channel file, as the child does.
     *
     * @throws IOException if the file is not a channel of this version, or its size does not match its header
     */
    public static Channel open(Path file) throws IOException {
        long size = Files.size(file);
        if (size < HEADER_LENGTH) {
            throw new IOException(file + " is too short to be a channel (" + size + " bytes)");
        }
        MappedByteBuffer mapped = IoUtil.mapExistingFile(file.toFile(), "myrmex channel");
        UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        if (header.getLongVolatile(0) != MAGIC || header.getInt(8) != VERSION || header.getInt(16) != COUNTERS) {
            IoUtil.unmap(mapped);
            throw new IOException(file + " is not a version " + VERSION + " channel");
        }
        int capacity = header.getInt(12);
        if (capacity < ManyToOneRingBuffer.MIN_CAPACITY || Integer.bitCount(capacity) != 1
                || length(capacity) != size) {
            IoUtil.unmap(mapped);
            throw new IOException(file + ": ring capacity " + capacity + " does not match the file's size " + size);
        }
        return new Channel(file, mapped, capacity);
    }

    public Path file() {
        return file;
    }

    /** The parent's process id, from the header. */
    public long parentPid() {
        return new UnsafeBuffer(mapped, 0, HEADER_LENGTH).getLong(24);
    }

    public ManyToOneRingBuffer toChild() {
        return toChild;
    }

    public ManyToOneRingBuffer toParent() {
        return toParent;
    }

    public AtomicCounter counter(Counter c) {
        return counter[c.id()];
    }

    /**
     * The position up to which the (now dead) child had consumed the ring to the child: every record before it was
     * taken by the behavior (and counted in {@link Counter#TAKEN}) or otherwise consumed, even if the child died
     * before it zeroed the record or published the head. The child writes, for a message it takes, the slot of the
     * next count ({@code TAKEN + 1}) and then the count; for anything else it consumes, the slot of the current count;
     * both before it zeroes a byte. So the slot the count names is exact whenever the child died.
     */
    public long consumedUpTo() {
        return counter(counter(Counter.TAKEN).get() % 2 == 0 ? Counter.CONSUMED_EVEN : Counter.CONSUMED_ODD).get();
    }

    /** The counters, labelled, for tools and tests. */
    public CountersReader counters() {
        return counters;
    }

    /**
     * Clears the ring to the parent and the child's counters for a new child. Only while no child process exists:
     * the ring's producers are the child's threads.
     */
    public void resetForNewChild() {
        toParentBuffer.setMemory(0, toParentBuffer.capacity(), (byte) 0);
        for (Counter c : Counter.values()) {
            counter[c.id()].setRelease(0);
        }
    }

    /**
     * Deletes the file. The mapping stays until the garbage collector frees it: a sender may still be writing into it,
     * and unmapping memory in use would crash the process; writes to the deleted file's pages are harmless.
     */
    public void delete() throws IOException {
        Files.deleteIfExists(file);
    }
}
