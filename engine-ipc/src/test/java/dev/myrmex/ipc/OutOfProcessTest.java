package dev.myrmex.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentState;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.Iso;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.ipc.Agents.Echo;
import dev.myrmex.ipc.Agents.Note;
import dev.myrmex.ipc.Agents.Ping;
import dev.myrmex.ipc.Agents.Pong;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class OutOfProcessTest extends RuntimeWithChannels {
    private static final Duration T = Duration.ofSeconds(30);

    @Test
    void askCrossesAndComesBack() throws Exception {
        AgentHandle<Sendable> echo = rt.spawn("echo", new Echo(), SpawnOptions.DEFAULTS.outOfProcess(host().build()));
        Pong p = echo.ref().ask(new Ping(7, "héllo"), Pong.class, T).get(30, TimeUnit.SECONDS);
        assertEquals(new Pong(7, "héllo"), p);
        assertEquals(AgentState.RUNNING, echo.state());
        echo.stop();
        echo.join(T);
        assertEquals(AgentState.STOPPED, echo.state());
    }

    @Test
    void isoBytesMoveAndTagsCallBack() throws Exception {
        AgentHandle<Sendable> echo = rt.spawn("echo", new Echo(), SpawnOptions.DEFAULTS.outOfProcess(host().build()));
        Iso<ByteBuffer> buf = Iso.of(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        Iso<?> back = echo.ref().ask(buf, Iso.class, T).get(30, TimeUnit.SECONDS);
        assertTrue(buf.isMoved(), "the sender's Iso is empty after the send");
        assertEquals(ByteBuffer.wrap(new byte[] {3, 2, 1}), back.get());
        Iso<?> arr = echo.ref().ask(Iso.of(new byte[] {9, 8}), Iso.class, T).get(30, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {9, 8}, (byte[]) arr.get());

        LinkedBlockingQueue<Note> notes = new LinkedBlockingQueue<>();
        AgentHandle<Note> sink = rt.spawn("sink", ctx -> {
            while (true) {
                notes.put(ctx.receive().payload());
            }
        });
        echo.ref().signal(sink.ref()); // a Tag: the child sends a Note to it
        assertEquals(new Note(42), notes.poll(30, TimeUnit.SECONDS));
    }

    @Test
    void perSenderOrderHoldsBothWays() throws Exception {
        AgentHandle<Sendable> echo = rt.spawn("echo", new Echo(), SpawnOptions.DEFAULTS.outOfProcess(host().build()));
        LinkedBlockingQueue<Long> got = new LinkedBlockingQueue<>();
        AgentHandle<Note> sink = rt.spawn("sink", ctx -> {
            while (true) {
                Message<Note> m = ctx.receive();
                got.put(m.payload().n());
            }
        });
        int n = 20_000;
        CompletableFuture<Pong> emitted = echo.ref().ask(new Agents.Emit(sink.ref(), n), Agents.Pong.class, T);
        // Waiting in short gets, this thread keeps reading the ring (a platform thread's get helps before it parks),
        // taking turns with the reader thread throughout the stream: order must hold whoever reads.
        while (!emitted.isDone()) {
            try {
                emitted.get(20, TimeUnit.MICROSECONDS);
            } catch (TimeoutException notYet) {
                // read some, then the reader thread may take over
            }
        }
        assertEquals(n, emitted.get().n());
        for (long i = 0; i < n; i++) {
            Long v = got.poll(30, TimeUnit.SECONDS);
            assertEquals(i, v);
        }
        Pong loop = echo.ref().ask(new Agents.Loop(100), Pong.class, T).get(30, TimeUnit.SECONDS);
        assertEquals(5050, loop.n(), "the child's messages to itself come back through its ring");
    }

    @Test
    void anUnencodableMessageFailsAtTheSender() {
        record Stamp(java.time.Instant at) implements dev.myrmex.core.Val {
        }
        AgentHandle<Sendable> echo = rt.spawn("echo", new Echo(), SpawnOptions.DEFAULTS.outOfProcess(host().build()));
        CodecException e = assertThrows(CodecException.class, () -> echo.ref().signal(new Stamp(
                java.time.Instant.EPOCH)));
        assertTrue(e.getMessage().contains("java.time.Instant"), e.getMessage());
        Iso<StringBuilder> sb = Iso.of(new StringBuilder("keep"));
        assertThrows(CodecException.class, () -> echo.ref().signal(sb));
        assertEquals("keep", sb.get().toString(), "a refused Iso stays with its sender");
    }

    @Test
    void aHandlerStyleBehaviorRunsOutOfProcessFromItsHandlersClass() throws Exception {
        for (boolean nonBlocking : new boolean[] {false, true}) {
            Agents.CountingHandler handler = new Agents.CountingHandler();
            AgentHandle<Sendable> h = rt.spawn("handler-" + nonBlocking, nonBlocking ? Behaviors.nonBlocking(handler)
                    : Behaviors.receive(handler), SpawnOptions.DEFAULTS.outOfProcess(host().build()));
            for (long i = 1; i <= 3; i++) {
                Pong p = h.ref().ask(new Ping(i, "hi"), Pong.class, T).get(30, TimeUnit.SECONDS);
                assertEquals(i, p.n(), "the child's handler keeps its own count");
                assertTrue(!p.text().endsWith(" " + ProcessHandle.current().pid()), p.text());
            }
            h.stop();
            h.join(T);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rt.spawn("lambda-handler",
                Behaviors.receive((ctx, m) -> { }), SpawnOptions.DEFAULTS.outOfProcess(host().build())));
        assertTrue(e.getMessage().contains("lambda"), e.getMessage());
    }

    @Test
    void aLambdaCannotGoOutOfProcess() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rt.spawn("l",
                ctx -> ctx.receive(), SpawnOptions.DEFAULTS.outOfProcess(host().build())));
        assertTrue(e.getMessage().contains("lambda"), e.getMessage());
        assertTrue(rt.lookup("l").isEmpty());
    }
}
