package dev.myrmex.examples;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.Message;
import dev.myrmex.core.Val;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Two agents bounce a ball: each hit is a message, and the ball carries the address of the agent to hit it back
 * (an {@link AgentRef} is a Tag, so it can travel in a Val). Plays rallies with direct-style agents and with handler
 * agents: {@value #WARM_UP} of each style to warm up (the JIT compiles the paths; not counted), then
 * {@value #MEASURED} measured ones, and prints each style's median time per hop, which style is faster and by how much,
 * and whether the rallies varied too much for the figures to mean much (a busy machine).
 * Run: {@code ./myrmex example ping-pong [hits]}.
 */
public final class PingPongExample {
    private PingPongExample() {
    }

    /** The ball: which hit this is, and who to send it back to. */
    record Ball(int hit, AgentRef<Ball> from) implements Val {
    }

    /** Rallies of each style played first and not counted, while the JIT compiles their paths. */
    static final int WARM_UP = 2;
    /** Rallies of each style measured; the median is reported. */
    static final int MEASURED = 5;
    /** Measured rallies further apart than this (slowest over fastest) make the figures too noisy to mean much. */
    static final double NOISY_SPREAD = 1.3;

    public static void main(String[] args) throws Exception {
        int hits = args.length > 0 ? parse(args[0]) : 200_000;
        try (AgentRuntime rt = AgentRuntime.builder().build()) {
            rt.start();
            double[] direct = rallies(rt, hits, "direct style, a virtual thread each", PingPongExample::directRally);
            double[] handler = rallies(rt, hits, "handler style, turns on the carriers",
                    PingPongExample::handlerRally);
            double d = median(direct);
            double h = median(handler);
            System.out.printf(Locale.ROOT, "the %s style is %.2fx faster per hop than the %s style (fewer ns per hop"
                    + " is faster)%n", h <= d ? "handler" : "direct", Math.max(d, h) / Math.min(d, h),
                    h <= d ? "direct" : "handler");
            double spread = Math.max(spread(direct), spread(handler));
            if (spread > NOISY_SPREAD) {
                System.out.printf(Locale.ROOT, "the rallies of one style varied by up to %.0f%%: the machine is busy,"
                        + " so take these figures as rough (./myrmex bench quick measures properly)%n",
                        100 * (spread - 1));
            }
        }
    }

    /** Hops and nanoseconds of one rally. */
    private record Rally(int hops, long nanos) {
        double nanosPerHop() {
            return (double) nanos / hops;
        }
    }

    /** One rally of a style: its agents are named after {@code round}, so no name is reused before it is free. */
    @FunctionalInterface
    private interface Style {
        Rally play(AgentRuntime rt, int hits, int round) throws Exception;
    }

    /** Plays the warm-up rallies, then the measured ones; prints the style's median. Returns ns per hop of each. */
    private static double[] rallies(AgentRuntime rt, int hits, String style, Style play) throws Exception {
        for (int i = 0; i < WARM_UP; i++) {
            play.play(rt, hits, i);
        }
        double[] perHop = new double[MEASURED];
        int hops = 0;
        for (int i = 0; i < MEASURED; i++) {
            Rally r = play.play(rt, hits, WARM_UP + i);
            perHop[i] = r.nanosPerHop();
            hops = r.hops();
        }
        double[] sorted = perHop.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "ping-pong (%s): %,d hops a rally, %.1f ns per hop (median of %d rallies,"
                        + " %,.1f to %,.1f, after %d to warm up)%n", style, hops, median(perHop), MEASURED, sorted[0],
                sorted[MEASURED - 1], WARM_UP);
        return perHop;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The slowest over the fastest. */
    static double spread(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length - 1] / sorted[0];
    }

    /** Two direct-style agents: loops over {@code ctx.receive()}, each on its own virtual thread. */
    private static Rally directRally(AgentRuntime rt, int hits, int round) throws Exception {
        AgentHandle<Ball> pong = rt.spawn("pong-" + round, ctx -> {
            while (true) {
                Message<Ball> m = ctx.receive();
                m.payload().from().signal(new Ball(m.payload().hit() + 1, ctx.self()));
            }
        });
        AtomicReference<Long> nanos = new AtomicReference<>();
        // The hit count grows by one per message, at both ends: the last hit + 1 is the number of hops.
        AgentHandle<Ball> ping = rt.spawn("ping-" + round, ctx -> {
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
    private static Rally handlerRally(AgentRuntime rt, int hits, int round) throws Exception {
        AgentHandle<Ball> pong = rt.spawn("pong-handler-" + round, Behaviors.nonBlocking(
                (ctx, m) -> m.payload().from().signal(new Ball(m.payload().hit() + 1, ctx.self()))));
        CompletableFuture<Rally> done = new CompletableFuture<>();
        long[] start = {0}; // one turn at a time touches it
        rt.spawn("ping-handler-" + round, Behaviors.<Ball>nonBlocking((ctx, m) -> {
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
