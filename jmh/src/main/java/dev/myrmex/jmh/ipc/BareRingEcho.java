package dev.myrmex.jmh.ipc;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The baseline's child: a bare Agrona ring pair in a mapped file, read by one spinning thread that echoes every
 * message (mode "echo") or only consumes it ("sink"). No framing, no codec, no agents: the floor Myrmex is measured
 * against. Exits when its parent does.
 */
public final class BareRingEcho {
    static final int CAPACITY = 1 << 20;

    private BareRingEcho() {
    }

    /** Maps (creating if asked) the file as two rings: [to child][to parent]. */
    static RingBuffer[] map(Path file, boolean create) throws Exception {
        long ring = CAPACITY + RingBufferDescriptor.TRAILER_LENGTH;
        if (create) {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(2 * ring);
            }
        }
        MappedByteBuffer m = IoUtil.mapExistingFile(new File(file.toString()), "bare rings");
        return new RingBuffer[] {new ManyToOneRingBuffer(new UnsafeBuffer(m, 0, (int) ring)),
                new ManyToOneRingBuffer(new UnsafeBuffer(m, (int) ring, (int) ring))};
    }

    public static void main(String[] args) throws Exception {
        RingBuffer[] rings = map(Path.of(args[0]), false);
        boolean echo = args[1].equals("echo");
        RingBuffer in = rings[0];
        RingBuffer out = rings[1];
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        long idle = 0;
        while (true) {
            int n = in.read((type, buffer, index, length) -> {
                if (echo) {
                    while (!out.write(type, buffer, index, length)) {
                        Thread.onSpinWait();
                    }
                }
            });
            if (n == 0 && (++idle & 0xFFFFF) == 0 && !ProcessHandle.of(parent).isPresent()) {
                Files.deleteIfExists(Path.of(args[0]));
                return;
            }
        }
    }
}
