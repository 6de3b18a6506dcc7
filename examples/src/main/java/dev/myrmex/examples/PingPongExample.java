package dev.myrmex.examples;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.Message;
import dev.myrmex.core.Val;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Two agents bounce a ball: each hit is a message, and the ball carries the address of the agent to hit it back
 * (an {@link AgentRef} is a Tag, so it can travel in a Val). Plays one rally with direct-style agents and one with
 * handler agents, and prints the time per hop of each.
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
            report("direct style, a virtual thread each", directRally(rt, hits));
            report("handler style, turns on the carriers", handlerRally(rt, hits));
        }
    }

    /** Hops and nanoseconds of one rally. */
    private record Rally(int hops, long nanos) {
    }

    private static void report(String style, Rally r) {
        System.out.printf(Locale.ROOT, "ping-pong (%s): %,d hops in %.1f ms, %.1f ns per hop%n", style, r.hops(),
                r.nanos() / 1e6, (double) r.nanos() / r.hops());
    }

    /** Two direct-style agents: loops over {@code ctx.receive()}, each on its own virtual thread. */
    private static Rally directRally(AgentRuntime rt, int hits) throws Exception {
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
        pong.stop();
        return new Rally(hops, nanos.get());
    }

    /** Two handler agents ({@link Behaviors#nonBlocking}): no thread of their own, each hit is one call. */
    private static Rally handlerRally(AgentRuntime rt, int hits) throws Exception {
        AgentHandle<Ball> pong = rt.spawn("pong-handler", Behaviors.nonBlocking(
                (ctx, m) -> m.payload().from().signal(new Ball(m.payload().hit() + 1, ctx.self()))));
        CompletableFuture<Rally> done = new CompletableFuture<>();
        long[] start = {0}; // one turn at a time touches it
        rt.spawn("ping-handler", Behaviors.<Ball>nonBlocking((ctx, m) -> {
            Ball b = m.payload();
            if (b.hit() < 0) { // the serve, from main
                start[0] = System.nanoTime();
                pong.ref().signal(new Ball(0, ctx.self()));
            } else if (b.hit() >= hits) {
                done.complete(new Rally(b.hit() + 1, System.nanoTime() - start[0]));
                ctx.stopSelf();
            } else {
                pong.ref().signal(new Ball(b.hit() + 1, ctx.self()));
            }
        })).ref().signal(new Ball(-1, pong.ref()));
        Rally r = done.get(5, TimeUnit.MINUTES);
        pong.stop();
        return r;
    }

    static int parse(String s) {
        return ExampleArgs.positive("hits", s);
    }
}
