package dev.myrmex.core.channel;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.sched.WorkStealingScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Channel behavior and every error it reports. Blocking cases run on virtual threads of our scheduler. */
class ChannelTest {
    private final WorkStealingScheduler scheduler = WorkStealingScheduler.builder().workers(2).build();

    @AfterEach
    void close() {
        scheduler.close();
    }

    @Test
    void itemsLeaveInTheOrderTheyEntered() throws InterruptedException {
        Channel<Integer> ch = Channel.bounded(4);
        for (int i = 0; i < 4; i++) {
            ch.send(i);
        }
        assertFalse(ch.trySend(99), "full");
        assertEquals(4, ch.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(i, ch.receive());
        }
        assertNull(ch.tryReceive(), "empty and open");
        // the ring wraps around
        for (int round = 0; round < 10; round++) {
            assertTrue(ch.trySend(round));
            assertTrue(ch.trySend(round + 100));
            assertEquals(round, ch.tryReceive());
            assertEquals(round + 100, ch.tryReceive());
        }
    }

    @Test
    void sendWaitsForRoomAndReceiveWaitsForAnItem() throws InterruptedException {
        Channel<String> ch = Channel.bounded(1);
        ch.send("a");
        Thread sender = scheduler.threadBuilder().start(() -> {
            try {
                ch.send("b"); // full: parks until the receive below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        awaitState(sender, Thread.State.WAITING);
        assertEquals("a", ch.receive());
        assertTrue(sender.join(WATCHDOG));
        assertEquals("b", ch.receive());

        AtomicReference<String> got = new AtomicReference<>();
        Thread receiver = scheduler.threadBuilder().start(() -> {
            try {
                got.set(ch.receive()); // empty: parks until the send below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        awaitState(receiver, Thread.State.WAITING);
        ch.send("c");
        assertTrue(receiver.join(WATCHDOG));
        assertEquals("c", got.get());
    }

    @Test
    void receiversDrainWhatIsLeftAfterCloseThenSeeItClosed() throws InterruptedException {
        Channel<Integer> ch = Channel.bounded(8);
        ch.send(1);
        ch.send(2);
        ch.close();
        ch.close(); // idempotent
        assertTrue(ch.isClosed());
        assertEquals(1, ch.receive());
        assertEquals(2, ch.tryReceive());
        assertThrows(ChannelClosedException.class, ch::receive);
        assertThrows(ChannelClosedException.class, ch::tryReceive);
    }

    @Test
    void sendingToAClosedChannelThrows() {
        Channel<Integer> ch = Channel.bounded(8);
        ch.close();
        var e = assertThrows(ChannelClosedException.class, () -> ch.send(1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(ChannelClosedException.class, () -> ch.trySend(1));
    }

    @Test
    void closeWakesBlockedSendersAndReceivers() throws InterruptedException {
        Channel<Integer> full = Channel.bounded(1);
        full.send(0);
        Channel<Integer> empty = Channel.bounded(1);
        List<Throwable> thrown = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(scheduler.threadBuilder().start(() -> {
                try {
                    full.send(1);
                } catch (Throwable t) {
                    thrown.add(t);
                }
            }));
            waiters.add(scheduler.threadBuilder().start(() -> {
                try {
                    empty.receive();
                } catch (Throwable t) {
                    thrown.add(t);
                }
            }));
        }
        for (Thread w : waiters) {
            awaitState(w, Thread.State.WAITING);
        }
        full.close();
        empty.close();
        for (Thread w : waiters) {
            assertTrue(w.join(WATCHDOG), w + " still blocked after close");
        }
        assertEquals(6, thrown.size());
        assertTrue(thrown.stream().allMatch(t -> t instanceof ChannelClosedException), thrown.toString());
        assertEquals(0, full.receive(), "the item sent before the close is still received");
    }

    @Test
    void aBlockedSendOrReceiveCanBeInterrupted() throws InterruptedException {
        Channel<Integer> ch = Channel.bounded(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread receiver = scheduler.threadBuilder().start(() -> {
            try {
                ch.receive();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        awaitState(receiver, Thread.State.WAITING);
        receiver.interrupt();
        assertTrue(receiver.join(WATCHDOG));
        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
        assertEquals(0, ch.size());
    }

    @Test
    void badArgumentsAreRejectedNamingTheProblem() {
        var e = assertThrows(IllegalArgumentException.class, () -> Channel.bounded(0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        Channel<String> ch = Channel.bounded(2);
        assertThrows(NullPointerException.class, () -> ch.send(null));
        assertThrows(NullPointerException.class, () -> ch.trySend(null));
        assertEquals(2, ch.capacity());
        assertEquals("Channel[0/2]", ch.toString());
    }

    /** Waits until {@code t} is parked (the state the JDK reports for a parked virtual thread). */
    private static void awaitState(Thread t, Thread.State state) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (t.getState() != state) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(t + " never reached " + state + ", is " + t.getState());
            }
            Thread.onSpinWait();
        }
    }
}
