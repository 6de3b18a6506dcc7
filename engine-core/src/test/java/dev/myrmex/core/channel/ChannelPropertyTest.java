package dev.myrmex.core.channel;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.myrmex.sched.WorkStealingScheduler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Properties over random interleavings of N senders x M items and K receivers, on virtual threads of our scheduler,
 * through a channel of random capacity (small ones, so that senders block and wrap-around happens): every item is
 * received exactly once, and each receiver sees each sender's items in the order they were sent.
 */
class ChannelPropertyTest {

    record Item(int sender, int seq) {
    }

    @Test
    void everyItemIsReceivedExactlyOnceAndPerSenderOrderHolds() {
        // 1-6 senders racing 1-4 receivers through 1-16 slots: 150 examples, each up to 2,400 items
        qt().withExamples(150).withShrinkCycles(10)
                .forAll(integers().between(1, 6), // senders
                        integers().between(0, 400), // items per sender
                        integers().between(1, 4), // receivers
                        integers().between(1, 16)) // capacity
                .checkAssert(ChannelPropertyTest::run);
    }

    private static void run(int senders, int perSender, int receivers, int capacity) {
        Channel<Item> ch = Channel.bounded(capacity);
        List<List<Item>> received = new ArrayList<>();
        try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(2).build()) {
            List<Thread> receiverThreads = new ArrayList<>();
            for (int r = 0; r < receivers; r++) {
                List<Item> mine = new ArrayList<>();
                received.add(mine);
                receiverThreads.add(s.threadBuilder().start(() -> {
                    try {
                        while (true) {
                            mine.add(ch.receive());
                        }
                    } catch (ChannelClosedException drained) {
                        // the end
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            List<Thread> senderThreads = new ArrayList<>();
            for (int p = 0; p < senders; p++) {
                int sender = p;
                senderThreads.add(s.threadBuilder().start(() -> {
                    try {
                        for (int i = 0; i < perSender; i++) {
                            if (i % 7 == 3) {
                                while (!ch.trySend(new Item(sender, i))) {
                                    Thread.yield(); // the non-blocking path, retried
                                }
                            } else {
                                ch.send(new Item(sender, i));
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            for (Thread t : senderThreads) {
                assertTrue(t.join(WATCHDOG), "a sender never finished: " + ch + " " + s.stats());
            }
            ch.close();
            for (Thread t : receiverThreads) {
                assertTrue(t.join(WATCHDOG), "a receiver never finished: " + ch + " " + s.stats());
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        int[][] seen = new int[senders][perSender];
        for (List<Item> mine : received) {
            int[] last = new int[senders];
            java.util.Arrays.fill(last, -1);
            for (Item item : mine) {
                seen[item.sender()][item.seq()]++;
                assertTrue(item.seq() > last[item.sender()],
                        "sender " + item.sender() + ": " + item.seq() + " after " + last[item.sender()]);
                last[item.sender()] = item.seq();
            }
        }
        for (int p = 0; p < senders; p++) {
            for (int i = 0; i < perSender; i++) {
                assertEquals(1, seen[p][i], "item " + p + "/" + i + " received " + seen[p][i] + " times");
            }
        }
    }
}
