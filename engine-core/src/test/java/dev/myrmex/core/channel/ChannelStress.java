package dev.myrmex.core.channel;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * jcstress tests of the {@link Channel}'s close bit: a send racing the close, and the closer then draining the channel
 * until it is told it is drained. The close is a bit in the tail, so a send's claim and the close are ordered by one
 * compare-and-set: a send either took effect before the close (and is received before "drained") or fails. Result:
 * (the send was accepted, the drainer received it). An accepted item that the drainer never got is lost: it entered
 * after the channel said it was drained. The broken twin is the design this replaced: a closed flag of its own,
 * checked by a send before it enqueues. Run by {@code ChannelStressTest}.
 */
public final class ChannelStress {
    private ChannelStress() {
    }

    /** Takes items with {@code tryReceive} until it says the channel is drained; returns how many it took. */
    private static int receivedUntilDrained(Supplier<Integer> tryReceive) {
        int received = 0;
        while (true) {
            try {
                if (tryReceive.get() != null) {
                    received++;
                }
            } catch (ChannelClosedException drained) {
                return received;
            }
        }
    }

    @JCStressTest
    @Description("A send racing the close: accepted and received, or refused.")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "sent before the close, received before drained")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "refused: the channel was closed")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "lost: accepted, but the channel said drained without it")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "refused, yet received")
    @State
    public static class CloseBit {
        final Channel<Integer> channel = Channel.bounded(4);
        int accepted;

        @Actor
        public void sender() {
            try {
                accepted = channel.trySend(1) ? 1 : 0;
            } catch (ChannelClosedException refused) {
                accepted = 0;
            }
        }

        @Actor
        public void closerDrains(II_Result r) {
            channel.close();
            r.r2 = receivedUntilDrained(channel::tryReceive);
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = accepted;
        }
    }

    /** The broken twin: closing sets a flag of its own, which a send checks before it enqueues. */
    static final class FlagClosedChannel {
        private final ConcurrentLinkedQueue<Integer> items = new ConcurrentLinkedQueue<>();
        private volatile boolean closed;

        boolean trySend(Integer item) {
            if (closed) {
                return false;
            }
            return items.offer(item); // the close may come between the check and here
        }

        void close() {
            closed = true;
        }

        /** The item, null if empty and open; throws once closed and empty. */
        Integer tryReceive() {
            Integer item = items.poll();
            if (item == null && closed) {
                throw new ChannelClosedException("drained");
            }
            return item;
        }
    }

    @JCStressTest
    @Description("Broken twin: a closed flag checked before the enqueue.")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "sent before the close, received before drained")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "refused")
    @Outcome(id = "1, 0", expect = ACCEPTABLE_INTERESTING, desc = "lost, as expected of the broken twin")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "refused, yet received")
    @State
    public static class ClosedFlag {
        final FlagClosedChannel channel = new FlagClosedChannel();
        int accepted;

        @Actor
        public void sender() {
            accepted = channel.trySend(1) ? 1 : 0;
        }

        @Actor
        public void closerDrains(II_Result r) {
            channel.close();
            r.r2 = receivedUntilDrained(channel::tryReceive);
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = accepted;
        }
    }
}
