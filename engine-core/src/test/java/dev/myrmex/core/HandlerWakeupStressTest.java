package dev.myrmex.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Await;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The handler agents' wake-up protocol under stress: pairs of handler agents play ping-pong with one message in
 * flight per pair, so every message is the last one its receiver will get until it answers. A message that lands
 * while its receiver's turn is ending (it has just found the mailbox empty) must start a new turn; if it were
 * stranded, its pair would stop for good and the watchdog would fail the test, naming the stuck pairs.
 */
class HandlerWakeupStressTest {
    record Ball(int pair, int hits) implements Val {
    }

    @ParameterizedTest(name = "nonBlocking={0}")
    @ValueSource(booleans = {true, false})
    void noMessageIsStrandedInTheMailboxOfAnIdleAgent(boolean nonBlocking) throws Exception {
        int pairs = 4;
        int rallies = nonBlocking ? 200_000 : 20_000; // a turn on a virtual thread costs a thread start
        CountDownLatch done = new CountDownLatch(pairs);
        AtomicLongArray progress = new AtomicLongArray(pairs);
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {
            rt.start();
            for (int p = 0; p < pairs; p++) {
                int pair = p;
                java.util.List<AgentHandle<Ball>> players = new java.util.concurrent.CopyOnWriteArrayList<>();
                for (int side = 0; side < 2; side++) {
                    int other = 1 - side;
                    MessageHandler<Ball> play = (ctx, m) -> {
                        int hits = m.payload().hits();
                        progress.lazySet(pair, hits);
                        if (hits == rallies) {
                            done.countDown();
                        } else {
                            players.get(other).ref().signal(new Ball(pair, hits + 1));
                        }
                    };
                    players.add(rt.spawn("pair-" + p + "-" + side,
                            nonBlocking ? Behaviors.nonBlocking(play) : Behaviors.receive(play)));
                }
                players.getFirst().ref().signal(new Ball(pair, 0));
            }
            assertTrue(done.await(Await.WATCHDOG.toSeconds(), TimeUnit.SECONDS),
                    "a ball got stuck: hits per pair " + progress + " of " + rallies + "; " + rt.scheduler().stats());
        }
    }
}
