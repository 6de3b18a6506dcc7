package dev.myrmex.core.internal;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.DeadLetters;
import dev.myrmex.core.Message;
import dev.myrmex.core.Val;
import dev.myrmex.core.mailbox.MailboxFullException;
import dev.myrmex.core.mailbox.MailboxSettings;
import dev.myrmex.core.mailbox.OverflowPolicy;
import dev.myrmex.core.spi.Pace;
import dev.myrmex.sched.WorkStealingScheduler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The mailbox's bounds, overflow policies, backpressure, wake-ups and close, and every error it reports. */
class MailboxTest {
    record Note(int sender, int seq) implements Val {
    }

    private final WorkStealingScheduler scheduler = WorkStealingScheduler.builder().workers(2).build();
    private final DeadLetters deadLetters = new DeadLetters(16);

    @AfterEach
    void close() {
        scheduler.close();
    }

    private Mailbox<Note> mailbox(MailboxSettings settings) {
        return new Mailbox<>(TestRefs.ref("box"), settings, deadLetters);
    }

    private static Message<Note> note(int sender, int seq) {
        return Message.of(new Note(sender, seq), null, System.nanoTime());
    }

    @Test
    void messagesLeaveInOrderAndTheCapacityIsExactForOneSender() throws InterruptedException {
        Mailbox<Note> box = mailbox(MailboxSettings.DEFAULTS.withCapacity(10).withOverflow(OverflowPolicy.DROP));
        for (int i = 0; i < 15; i++) {
            box.send(note(0, i), Pace.WAIT_FOR_ROOM);
        }
        assertEquals(10, box.size());
        assertEquals(5, deadLetters.count(DeadLetter.Reason.MAILBOX_FULL), "the 5 beyond capacity are dead letters");
        assertEquals(10, ((Note) deadLetters.recent().getFirst().message().payload()).seq());
        for (int i = 0; i < 10; i++) {
            assertEquals(i, box.poll().payload().seq());
        }
        assertNull(box.poll());
    }

    @Test
    void failPolicyThrowsNamingTheMailbox() throws InterruptedException {
        Mailbox<Note> box = mailbox(MailboxSettings.DEFAULTS.withCapacity(2).withOverflow(OverflowPolicy.FAIL));
        box.send(note(0, 0), Pace.WAIT_FOR_ROOM);
        box.send(note(0, 1), Pace.WAIT_FOR_ROOM);
        var e = assertThrows(MailboxFullException.class, () -> box.send(note(0, 2), Pace.WAIT_FOR_ROOM));
        assertTrue(e.getMessage().contains("box") && e.getMessage().contains("2 messages"), e.getMessage());
        assertEquals(0, deadLetters.count());
    }

    @Test
    void blockPolicyWaitsForRoomThenFailsAfterTheBound() throws InterruptedException {
        Mailbox<Note> box = mailbox(MailboxSettings.DEFAULTS.withCapacity(1).withWatermarks(1, 0)
                .withBlockTimeout(Duration.ofSeconds(60)));
        box.send(note(0, 0), Pace.WAIT_FOR_ROOM);
        Thread sender = scheduler.threadBuilder().start(() -> {
            try {
                box.send(note(0, 1), Pace.WAIT_FOR_ROOM); // full: waits for the poll below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        awaitWaiting(sender);
        assertEquals(0, box.poll().payload().seq());
        assertTrue(sender.join(WATCHDOG));
        assertEquals(1, box.poll().payload().seq());

        Mailbox<Note> stuck = mailbox(MailboxSettings.DEFAULTS.withCapacity(1).withWatermarks(1, 0)
                .withBlockTimeout(Duration.ofMillis(20)));
        stuck.send(note(0, 0), Pace.WAIT_FOR_ROOM);
        var e = assertThrows(MailboxFullException.class, () -> stuck.send(note(0, 1), Pace.WAIT_FOR_ROOM));
        assertTrue(e.getMessage().contains("block timeout"), e.getMessage());
    }

    @Test
    void aSenderAtTheHighWatermarkIsHeldBackUntilTheLowOne() throws InterruptedException {
        Mailbox<Note> box = mailbox(MailboxSettings.DEFAULTS.withCapacity(16).withWatermarks(8, 2)
                .withBlockTimeout(Duration.ofSeconds(60)));
        Thread sender = scheduler.threadBuilder().start(() -> {
            try {
                for (int i = 0; i < 8; i++) {
                    box.send(note(0, i), Pace.HOLD_BACK); // the 8th reaches the high watermark: held back
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        awaitWaiting(sender);
        assertEquals(8, box.size());
        for (int i = 0; i < 5; i++) { // down to 3: still above the low watermark
            box.poll();
        }
        assertTrue(sender.isAlive(), "released above the low watermark");
        box.poll(); // 2: released
        assertTrue(sender.join(WATCHDOG), "still held back at the low watermark");
        assertEquals(1, box.holdBackCounts()[0]);
        assertEquals(0, box.holdBackCounts()[1]);
    }

    @Test
    void takeWaitsForASendAndTimesOut() throws InterruptedException {
        Mailbox<Note> box = mailbox(MailboxSettings.DEFAULTS);
        assertNull(box.take(1, TimeUnit.MILLISECONDS));
        AtomicReference<Note> got = new AtomicReference<>();
        Thread receiver = scheduler.threadBuilder().start(() -> {
            try {
                got.set(box.take().payload());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        awaitWaiting(receiver);
        box.send(note(3, 4), Pace.HOLD_BACK);
        assertTrue(receiver.join(WATCHDOG));
        assertEquals(new Note(3, 4), got.get());
    }

    @Test
    void closingTurnsQueuedLateAndWaitingMessagesIntoDeadLetters() throws InterruptedException {
        Mailbox<Note> box = mailbox(MailboxSettings.DEFAULTS.withCapacity(2).withWatermarks(2, 0)
                .withBlockTimeout(Duration.ofSeconds(60)));
        box.send(note(0, 0), Pace.WAIT_FOR_ROOM);
        box.send(note(0, 1), Pace.WAIT_FOR_ROOM);
        AtomicReference<Boolean> waiterResult = new AtomicReference<>();
        Thread waiter = scheduler.threadBuilder().start(() -> {
            try {
                waiterResult.set(box.send(note(1, 0), Pace.WAIT_FOR_ROOM)); // full: waits, then the close wakes it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        awaitWaiting(waiter);
        assertEquals(2, box.close());
        assertTrue(waiter.join(WATCHDOG));
        assertFalse(waiterResult.get());
        assertFalse(box.send(note(2, 0), Pace.HOLD_BACK), "a send after close");
        assertEquals(4, deadLetters.count(DeadLetter.Reason.RECIPIENT_STOPPED));
        assertTrue(box.isClosed());
    }

    @Test
    void twoReceiversThatFloodEachOtherFailAfterTheBoundInsteadOfHanging() throws InterruptedException {
        // Each side sends to the other's mailbox and never receives: with BLOCK both fill up, wait the block
        // timeout, and get MailboxFullException; nothing waits for ever.
        MailboxSettings s = MailboxSettings.DEFAULTS.withCapacity(4).withWatermarks(4, 1)
                .withBlockTimeout(Duration.ofMillis(50));
        Mailbox<Note> a = mailbox(s);
        Mailbox<Note> b = mailbox(s);
        AtomicReference<Throwable> aGot = new AtomicReference<>();
        AtomicReference<Throwable> bGot = new AtomicReference<>();
        Thread ta = scheduler.threadBuilder().start(() -> flood(b, aGot));
        Thread tb = scheduler.threadBuilder().start(() -> flood(a, bGot));
        assertTrue(ta.join(WATCHDOG) && tb.join(WATCHDOG), "the cycle hung");
        assertTrue(aGot.get() instanceof MailboxFullException, String.valueOf(aGot.get()));
        assertTrue(bGot.get() instanceof MailboxFullException, String.valueOf(bGot.get()));
    }

    private static void flood(Mailbox<Note> target, AtomicReference<Throwable> outcome) {
        try {
            for (int i = 0; ; i++) {
                target.send(note(0, i), Pace.HOLD_BACK);
            }
        } catch (Throwable t) {
            outcome.set(t);
        }
    }

    @Test
    void settingsRejectBadValuesNamingThem() {
        var d = MailboxSettings.DEFAULTS;
        assertEquals(1000, d.capacity());
        assertEquals(800, d.highWatermark());
        assertEquals(200, d.lowWatermark());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withCapacity(0)).getMessage().contains("0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withWatermarks(1001, 10)).getMessage()
                .contains("1001"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withWatermarks(100, 100)).getMessage()
                .contains("low watermark"));
        assertThrows(IllegalArgumentException.class, () -> d.withBlockTimeout(Duration.ZERO));
        assertEquals(80, d.withCapacity(100).highWatermark());
        assertEquals(20, d.withCapacity(100).lowWatermark());
    }

    private static void awaitWaiting(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline || !t.isAlive()) {
                throw new AssertionError(t + " never waited; state " + t.getState());
            }
            Thread.onSpinWait();
        }
    }
}
