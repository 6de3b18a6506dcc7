package dev.myrmex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.myrmex.core.mailbox.MailboxSettings;
import dev.myrmex.core.mailbox.OverflowPolicy;
import dev.myrmex.core.spi.AgentStyle;
import dev.myrmex.core.testing.Styled;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * Delivery through the whole runtime over random interleavings: N sender agents x M messages to one receiver agent
 * (direct style, or a handler on virtual threads or on the carriers) with a small mailbox, the receiver paused and
 * resumed at random while they send, then stopped gracefully, either
 * after it has drained everything or part-way. Every message is received exactly once or is a dead letter (never
 * both, never neither), and the received ones of each sender arrive in the order it sent them.
 */
class RuntimePropertyTest {
    record Item(int sender, int seq) implements Val {
    }

    @Test
    void everyMessageIsReceivedOnceOrDeadLetteredAndPerSenderOrderHolds() {
        // 18 shapes (2 overflow policies, early stop or not, 3 receiver styles, carrier senders with DROP): 120
        // examples meet each about 6 times a run, each a race of up to 1,000 sends
        qt().withExamples(120).withShrinkCycles(5)
                .forAll(integers().between(1, 5), // sender agents
                        integers().between(1, 200), // messages per sender
                        integers().between(4, 64), // receiver mailbox capacity
                        integers().between(0, 1_000_000)) // seed: overflow policy, pauses, early stop
                .checkAssert(RuntimePropertyTest::run);
    }

    private static void run(int senders, int perSender, int capacity, int seed) {
        Random random = new Random(seed);
        OverflowPolicy policy = random.nextBoolean() ? OverflowPolicy.DROP : OverflowPolicy.BLOCK;
        boolean stopEarly = random.nextInt(3) == 0;
        AgentStyle receiverKind = AgentStyle.values()[random.nextInt(AgentStyle.values().length)];
        boolean nonBlockingSenders = policy == OverflowPolicy.DROP && random.nextBoolean();
        int total = senders * perSender;
        AtomicIntegerArray fate = new AtomicIntegerArray(total);
        List<Item> received = new ArrayList<>(); // written by the receiver agent only, read after it ended
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).deadLetterWindow(0).build()) {
            rt.start();
            try (DeadLetters.Subscription _ = rt.deadLetters().subscribe(d -> {
                if (d.message().payload() instanceof Item i && i.sender() >= 0) {
                    fate.incrementAndGet(i.sender() * perSender + i.seq());
                }
            })) {
                MailboxSettings box = MailboxSettings.DEFAULTS.withCapacity(capacity).withOverflow(policy)
                        .withBlockTimeout(Duration.ofSeconds(30));
                MessageHandler<Item> record = (ctx, m) -> {
                    received.add(m.payload());
                    fate.incrementAndGet(m.payload().sender() * perSender + m.payload().seq());
                };
                Behavior<Item> receiving = Styled.behavior(receiverKind, record);
                AgentHandle<Item> receiver = rt.spawn("receiver", receiving, SpawnOptions.DEFAULTS.withMailbox(box));
                List<AgentHandle<Item>> senderHandles = new ArrayList<>();
                for (int p = 0; p < senders; p++) {
                    int sender = p;
                    if (nonBlockingSenders) {
                        // Sends from a carrier never wait: it runs with DROP only (under BLOCK a full mailbox would
                        // refuse the send with an exception, by design, which this property does not count).
                        AgentHandle<Item> h = rt.spawn("sender-" + p, Behaviors.<Item>nonBlocking((ctx, go) -> {
                            for (int i = 0; i < perSender; i++) {
                                receiver.ref().signal(new Item(sender, i)); // false: a dead letter, counted there
                            }
                            ctx.stopSelf();
                        }));
                        h.ref().signal(new Item(-1, -1));
                        senderHandles.add(h);
                    } else {
                        senderHandles.add(rt.spawn("sender-" + p, ctx -> {
                            for (int i = 0; i < perSender; i++) {
                                receiver.ref().signal(new Item(sender, i)); // false: a dead letter, counted there
                            }
                        }));
                    }
                }
                // Pause and resume the receiver at random while the senders run; for an early stop, stop it at a
                // random moment while they still send (queued mail and later sends become dead letters). Pauses are
                // bounded by work, not by time: a few per example, and the receiver takes a message between two.
                // (Bounded by loop rounds, on a loaded machine the receiver spent whole examples paused: 80 s.)
                int stopAfterRounds = stopEarly ? random.nextInt(50) : -1;
                int pausesLeft = random.nextInt(6);
                long receivedAtResume = -1;
                for (int round = 0; senderHandles.stream().anyMatch(h -> !h.state().isTerminal()); round++) {
                    if (round == stopAfterRounds) {
                        if (receiver.state() == AgentState.PAUSED) {
                            receiver.resume();
                        }
                        receiver.stop();
                    }
                    if (pausesLeft > 0 && random.nextInt(4) == 0 && receiver.state() == AgentState.RUNNING
                            && receiver.metrics().received() > receivedAtResume) {
                        pausesLeft--;
                        receiver.pause();
                        // A pause window of random length: mail queues up, senders may be held back meanwhile.
                        for (int y = random.nextInt(2_000); y > 0; y--) {
                            Thread.yield();
                        }
                        receiver.resume();
                        receivedAtResume = receiver.metrics().received();
                    }
                    Thread.onSpinWait();
                }
                for (AgentHandle<Item> h : senderHandles) {
                    h.join(Await.WATCHDOG);
                }
                if (receiver.state() == AgentState.PAUSED) {
                    receiver.resume();
                }
                if (receiver.state() == AgentState.RUNNING) {
                    if (!stopEarly) {
                        Await.until(() -> receiver.metrics().mailboxDepth() == 0);
                    }
                    receiver.stop();
                }
                receiver.join(Await.WATCHDOG);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        int[] last = new int[senders];
        java.util.Arrays.fill(last, -1);
        for (Item i : received) {
            assertTrue(i.seq() > last[i.sender()], "sender " + i.sender() + ": " + i.seq() + " after "
                    + last[i.sender()]);
            last[i.sender()] = i.seq();
        }
        for (int k = 0; k < total; k++) {
            assertEquals(1, fate.get(k), "message " + k / perSender + "/" + k % perSender + " ended " + fate.get(k)
                    + " times (" + policy + ", receiver " + receiverKind + (nonBlockingSenders ? ", carrier senders"
                            : "")
                    + (stopEarly ? ", stopped early" : "") + ")");
        }
    }
}
