package dev.myrmex.examples;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Message;
import dev.myrmex.core.Val;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Two agents bounce a ball: each hit is a message, and the ball carries the address of the agent to hit it back
 * (an {@link AgentRef} is a Tag, so it can travel in a Val). Prints the time per hop.
 * Run: {@code ./myrmex example ping-pong [hits]}.
 */
public final class PingPongExample {
    private PingPongExample() {
    }

    /** The ball: which hit this is, and who to send it back to. */
    record Ball(int hit, AgentRef<Ball> from) implements Val {
    }

    public static void main(String[] args) throws Exception {
        int hits = args.length > 0 ? parse(args[0]) : 1_000_000;
        try (AgentRuntime rt = AgentRuntime.builder().build()) {
            rt.start();
            AgentHandle<Ball> pong = rt.spawn("pong", ctx -> {
                while (true) {
                    Message<Ball> m = ctx.receive();
                    m.payload().from().signal(new Ball(m.payload().hit() + 1, ctx.self()));
                }
            });
            AtomicReference<Long> nanos = new AtomicReference<>();
            // The hit count grows by one per message, at both ends: the last hit + 1 is the number of hops.
            AgentHandle<Ball> ping = rt.spawn("ping", ctx -> {
                long start = System.nanoTime();
                pong.ref().signal(new Ball(0, ctx.self()));
                while (true) {
                    Ball b = ctx.receive().payload();
                    if (b.hit() >= hits) {
                        nanos.set(System.nanoTime() - start);
                        ctx.result(b.hit() + 1);
                        return;
                    }
                    pong.ref().signal(new Ball(b.hit() + 1, ctx.self()));
                }
            });
            int hops = (Integer) ping.join();
            System.out.printf(Locale.ROOT, "ping-pong: %,d hops in %.1f ms, %.1f ns per hop%n", hops,
                    nanos.get() / 1e6, (double) nanos.get() / hops);
        }
    }

    static int parse(String s) {
        try {
            int n = Integer.parseInt(s);
            if (n < 1) {
                throw new IllegalArgumentException("hits must be at least 1, got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("hits must be a number, got '" + s + "'");
        }
    }
}
