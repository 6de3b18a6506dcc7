package dev.myrmex.core.internal;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.myrmex.core.DeadLetters;
import dev.myrmex.core.Message;
import dev.myrmex.core.mailbox.MailboxFullException;
import dev.myrmex.core.mailbox.MailboxSettings;
import dev.myrmex.core.mailbox.OverflowPolicy;
import dev.myrmex.core.spi.Pace;
import dev.myrmex.sched.WorkStealingScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * Conservation and order through a mailbox, over random interleavings: N senders x M messages, a random capacity,
 * watermarks and overflow policy, a receiver that pauses at random (so the mailbox fills, overflows and holds
 * senders back), and sometimes a close part-way. Every message ends exactly once as one of: delivered, a dead letter,
 * or refused to its sender with MailboxFullException; and the delivered ones of each sender arrive in send order.
 */
class MailboxPropertyTest {

    @Test
    void everyMessageIsDeliveredOrDeadLetteredOrRefusedExactlyOnceInPerSenderOrder() {
        // 6 shapes (3 overflow policies, closed part-way or not): 150 examples meet each about 25 times
        qt().withExamples(150).withShrinkCycles(10)
                .forAll(integers().between(1, 5), // senders
                        integers().between(1, 300), // messages per sender
                        integers().between(1, 64), // capacity
                        integers().between(0, 5 * 4 - 1)) // overflow policy (3) x close part-way (yes/no), seeded
                .checkAssert((senders, perSender, capacity, shape) ->
                        run(senders, perSender, capacity, OverflowPolicy.values()[shape % 3], shape % 2 == 1, shape));
    }

    private static void run(int senders, int perSender, int capacity, OverflowPolicy policy, boolean closeEarly,
                            int seed) {
        DeadLetters deadLetters = new DeadLetters(0);
        int total = senders * perSender;
        AtomicIntegerArray fate = new AtomicIntegerArray(total); // +1 per outcome: must end at exactly 1
        try (DeadLetters.Subscription _ = deadLetters.subscribe(d -> {
            MailboxTest.Note n = (MailboxTest.Note) d.message().payload();
            fate.incrementAndGet(n.sender() * perSender + n.seq());
        }); WorkStealingScheduler s = WorkStealingScheduler.builder().workers(2).seed(seed).build()) {
            MailboxSettings settings = MailboxSettings.DEFAULTS.withCapacity(capacity).withOverflow(policy)
                    .withBlockTimeout(Duration.ofMillis(policy == OverflowPolicy.BLOCK ? 200 : 5));
            Mailbox<MailboxTest.Note> box = new Mailbox<>(TestRefs.ref("prop"), settings, deadLetters);
            List<Thread> senderThreads = new ArrayList<>();
            for (int p = 0; p < senders; p++) {
                int sender = p;
                senderThreads.add(s.threadBuilder().start(() -> {
                    for (int i = 0; i < perSender; i++) {
                        try {
                            box.send(Message.of(new MailboxTest.Note(sender, i), null, 0), Pace.HOLD_BACK);
                        } catch (MailboxFullException refused) {
                            fate.incrementAndGet(sender * perSender + i);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }));
            }
            int[] lastSeq = new int[senders];
            java.util.Arrays.fill(lastSeq, -1);
            java.util.Random pauses = new java.util.Random(seed);
            int closeAfter = closeEarly ? total / 3 : Integer.MAX_VALUE;
            int received = 0;
            while (true) {
                if (received >= closeAfter) {
                    box.close();
                    break;
                }
                if (pauses.nextInt(16) == 0) {
                    for (int y = 0; y < 50; y++) {
                        Thread.yield(); // a paused receiver: the mailbox fills up meanwhile
                    }
                }
                Message<MailboxTest.Note> m = box.take(2, TimeUnit.MILLISECONDS);
                if (m == null) {
                    if (senderThreads.stream().noneMatch(Thread::isAlive) && box.size() == 0) {
                        break;
                    }
                    continue;
                }
                MailboxTest.Note n = m.payload();
                assertTrue(n.seq() > lastSeq[n.sender()],
                        "sender " + n.sender() + ": " + n.seq() + " arrived after " + lastSeq[n.sender()]);
                lastSeq[n.sender()] = n.seq();
                fate.incrementAndGet(n.sender() * perSender + n.seq());
                received++;
            }
            for (Thread t : senderThreads) {
                assertTrue(t.join(WATCHDOG), "a sender never finished");
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        for (int i = 0; i < total; i++) {
            assertEquals(1, fate.get(i), "message " + i / perSender + "/" + i % perSender + " ended " + fate.get(i)
                    + " times (" + policy + (closeEarly ? ", closed early" : "") + ")");
        }
    }
}
