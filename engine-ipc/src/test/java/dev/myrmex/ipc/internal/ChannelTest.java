package dev.myrmex.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Message;
import dev.myrmex.core.Val;
import dev.myrmex.ipc.RecordCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import jnr.posix.POSIXFactory;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelTest {
    record Note(long n) implements Val {
    }

    @TempDir
    Path tmp;

    /** Something that makes files, run under umask 000: the most open a umask can make them. */
    private interface Making {
        void run() throws IOException;
    }

    private static void underOpenUmask(Making making) throws IOException {
        var posix = POSIXFactory.getNativePOSIX();
        int old = posix.umask(0);
        try {
            making.run();
        } finally {
            posix.umask(old);
        }
    }

    @Test
    void channelFilesArePrivateWhateverTheUmask() throws IOException {
        underOpenUmask(() -> {
            Path dir = PrivateDirectory.ensure(tmp.resolve("open-umask"));
            Channel c = Channel.create(dir.resolve("a.chan"), 1 << 16);
            Path log = PrivateDirectory.createFile(dir.resolve("a.log"));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(c.file())));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
        });
    }

    @Test
    void theDirectoriesMadeOnTheWayToACustomChannelDirectoryArePrivateToo() throws IOException {
        underOpenUmask(() -> {
            Path shared = Files.createDirectory(tmp.resolve("shared"));
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path dir = PrivateDirectory.ensure(shared.resolve("a").resolve("b").resolve("channels"));
            for (Path p : List.of(shared.resolve("a"), shared.resolve("a").resolve("b"), dir)) {
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)),
                        p.toString());
            }
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)),
                    "a directory that existed is left as it was");
        });
    }

    @Test
    void aDirectoryOpenToOthersOrALinkIsRefused() throws IOException {
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException e = assertThrows(IOException.class, () -> PrivateDirectory.ensure(open));
        assertTrue(e.getMessage().contains("open to others"), e.getMessage());
        Path target = PrivateDirectory.ensure(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
        IOException l = assertThrows(IOException.class, () -> PrivateDirectory.ensure(link));
        assertTrue(l.getMessage().contains("not a directory"), l.getMessage());
    }

    @Test
    void theChildSideChecksTheFileBeforeTrustingIt() throws IOException {
        Path dir = PrivateDirectory.ensure(tmp.resolve("c"));
        Path junk = PrivateDirectory.createFile(dir.resolve("junk.chan"));
        Files.write(junk, new byte[4096]);
        IOException e = assertThrows(IOException.class, () -> Channel.open(junk));
        assertTrue(e.getMessage().contains("not a version"), e.getMessage());
        Channel c = Channel.create(dir.resolve("ok.chan"), 1 << 16);
        Channel again = Channel.open(c.file());
        assertEquals(ProcessHandle.current().pid(), again.parentPid());
    }

    @Test
    void aRecordLeftHalfWrittenByADeadWriterIsSkippedNeverDelivered() throws Exception {
        try (AgentRuntime rt = AgentRuntime.builder().workers(1).build()) {
            rt.start();
            List<Long> got = new CopyOnWriteArrayList<>();
            AgentHandle<Note> sink = rt.spawn("sink", ctx -> {
                while (true) {
                    Message<Note> m = ctx.receive();
                    got.add(m.payload().n());
                }
            });
            Channel c = Channel.create(PrivateDirectory.ensure(tmp.resolve("t")).resolve("t.chan"), 1 << 16);
            AddressBook book = new AddressBook(rt, Addresses.Side.PARENT, "t", new NoOutbound());
            RingBuffer ring = c.toParent();
            long target = book.addressOf(sink.ref());
            RecordCodec codec = new RecordCodec();
            assertTrue(Frames.writeMessage(ring, new Note(1), Addresses.NONE, target, 0, codec, book));
            int torn = ring.tryClaim(FrameDescriptor.MESSAGE, 64); // the writer "dies" here: claimed, never committed
            assertTrue(torn > 0);
            ring.buffer().putLong(torn + FrameDescriptor.TARGET_OFFSET, target); // half its header written
            ParentReader reader = new ParentReader(null, ring, codec, book, rt.deadLetters(), "t", () -> { });
            reader.start();
            reader.finish();
            assertEquals(1, reader.tornSkipped());
            assertEquals(0, reader.refused());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (got.isEmpty() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000);
            }
            assertEquals(List.of(1L), got);
            assertEquals(0, ring.size(), "the torn record was consumed as padding");
        }
    }
}
