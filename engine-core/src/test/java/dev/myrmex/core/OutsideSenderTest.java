package dev.myrmex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Await;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A handler agent fed by a thread outside the runtime lingers after a turn: its next message from outside finds it
 * scheduled and costs the sender no submission to the scheduler (see {@code HandlerAgentCell.LINGER}). With one
 * carrier, held by another agent while the outside thread sends, the order of events is fixed.
 */
class OutsideSenderTest {
    record Num(int n) implements Val {
    }

    @Test
    void aTurnFedFromOutsideLingersSoTheNextOutsideMessageCostsNoSubmission() throws InterruptedException {
        try (AgentRuntime rt = AgentRuntime.builder().workers(1).build()) {
            rt.start();
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch secondTaken = new CountDownLatch(1);
            AgentRef<Num> holder = rt.spawn("holder", Behaviors.<Num>nonBlocking((ctx, m) -> {
                holding.countDown();
                Await.holdCarrierUntil(release); // holds the only carrier while the test sends
            })).ref();
            AgentRef<Num> fed = rt.spawn("fed", Behaviors.<Num>nonBlocking((ctx, m) -> {
                if (m.payload().n() == 1) {
                    holder.signal(new Num(0)); // queued on this carrier, before this turn's linger
                } else {
                    secondTaken.countDown();
                }
            })).ref();

            fed.signal(new Num(1));
            assertTrue(holding.await(30, TimeUnit.SECONDS), "the holder never ran");
            // fed's turn has ended (the holder runs after it, on the one carrier); it waits in the queue, lingering
            long before = rt.metrics().scheduler().externalSubmissions();
            fed.signal(new Num(2));
            long after = rt.metrics().scheduler().externalSubmissions();
            release.countDown();
            assertTrue(secondTaken.await(30, TimeUnit.SECONDS), "the second message was never taken");
            assertEquals(before, after, "the second outside message scheduled a turn of its own");
        }
    }

    @Test
    void aLingeringAgentThatGetsNothingGoesIdleAndIsWokenAsUsual() throws InterruptedException {
        try (AgentRuntime rt = AgentRuntime.builder().workers(1).build()) {
            rt.start();
            CountDownLatch taken = new CountDownLatch(2);
            AgentRef<Num> fed = rt.spawn("fed", Behaviors.<Num>nonBlocking((ctx, m) -> taken.countDown())).ref();
            fed.signal(new Num(1));
            Await.until(() -> taken.getCount() == 1 && rt.metrics().scheduler().perWorker().get(0).parked());
            long before = rt.metrics().scheduler().externalSubmissions();
            fed.signal(new Num(2)); // the carrier parked: the linger is over, the agent is idle
            assertTrue(taken.await(30, TimeUnit.SECONDS), "an idle agent was not woken by an outside message");
            assertEquals(before + 1, rt.metrics().scheduler().externalSubmissions());
        }
    }
}
