package dev.myrmex.examples;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.core.Val;
import dev.myrmex.core.mailbox.MailboxSettings;
import dev.myrmex.core.scheduling.Priority;
import dev.myrmex.core.scheduling.SchedulingPolicy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Scheduling policies, shown by their effects, each next to the same load without a policy ({@code DIRECT}):
 * <ol>
 *   <li><b>Priority.</b> LOW agents flood every carrier (each keeps a backlog and does about a microsecond of work per
 *       message); a CRITICAL agent is pinged a thousand times a second and its latency (ping sent to handler run)
 *       goes into a histogram. Without a policy, then under priority, then under fair share (which knows nothing of
 *       priorities but serves an agent that has used little processing time first).</li>
 *   <li><b>Rate limit.</b> An agent limited to {@code --rate} messages a second gets a deep backlog while the flood
 *       goes on; it prints how many it took in each second.</li>
 *   <li><b>Fair share.</b> A heavy agent (10x the work per message) and a light one, both flooded, sharing one
 *       carrier: without a policy
 *       each takes 64-message turns, so the heavy one gets most of the processor; under fair share they get equal
 *       processing time, so the light one gets through ten times as many messages.</li>
 * </ol>
 * {@code ./myrmex example policies [--seconds N] [--rate R]}
 */
public final class PoliciesExample {
    private static final int FLOODERS = 32;
    private static final int BACKLOG = 16;

    record Tick() implements Val {
    }

    record Ping(long sentAt) implements Val {
    }

    private static final Tick TICK = new Tick();

    private PoliciesExample() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = 3;
        int rate = 2_000;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--seconds" -> seconds = ExampleArgs.positive("--seconds", value);
                case "--rate" -> rate = ExampleArgs.positive("--rate", value);
                default -> throw new BadArgumentsException("unknown option " + args[i]
                        + " (known: --seconds N, --rate R)");
            }
        }
        System.out.printf("scheduling policies, %d s per run, %d carriers%n", seconds,
                Runtime.getRuntime().availableProcessors());
        System.out.println("1. a CRITICAL agent pinged 1,000 times a second while " + FLOODERS
                + " LOW agents flood the carriers");
        priority(SchedulingPolicy.DIRECT, seconds);
        priority(SchedulingPolicy.priority(), seconds);
        priority(SchedulingPolicy.fairShare(), seconds);
        System.out.println("2. an agent limited to " + String.format("%,d", rate)
                + " messages/s, with a deep backlog, during the same flood");
        rateLimit(rate, seconds);
        System.out.println("3. a heavy agent (10x the work per message) and a light one, both flooded, on one carrier");
        fairShare(SchedulingPolicy.DIRECT, seconds);
        fairShare(SchedulingPolicy.fairShare(), seconds);
    }

    /** About a microsecond of floating-point work per 40 steps, which the JIT cannot remove. */
    static double work(int steps) {
        double x = 1.0;
        for (int i = 0; i < steps; i++) {
            x = Math.sin(x + i) + 1.5;
        }
        return x;
    }

    /** Spawns the LOW flood: agents that each keep {@link #BACKLOG} messages queued for ever. */
    private static LongAdder flood(AgentRuntime rt) {
        LongAdder done = new LongAdder();
        for (int i = 0; i < FLOODERS; i++) {
            AgentHandle<Tick> low = rt.spawn("low-" + i, Behaviors.<Tick>nonBlocking((ctx, m) -> {
                if (work(40) > 0) {
                    done.increment();
                }
                ctx.self().signal(TICK);
            }), SpawnOptions.DEFAULTS.withPriority(Priority.LOW));
            for (int k = 0; k < BACKLOG; k++) {
                low.ref().signal(TICK);
            }
        }
        return done;
    }

    private static void priority(SchedulingPolicy policy, int seconds) throws Exception {
        Histogram latency = new Histogram(3); // written by the CRITICAL agent only, read after it has stopped
        try (AgentRuntime rt = AgentRuntime.builder().schedulingPolicy(policy).build()) {
            rt.start();
            LongAdder flooded = flood(rt);
            AtomicLong arrived = new AtomicLong();
            AgentHandle<Ping> critical = rt.spawn("critical", Behaviors.<Ping>nonBlocking((ctx, m) -> {
                latency.recordValue(Math.max(0, System.nanoTime() - m.payload().sentAt()));
                arrived.incrementAndGet();
            }), SpawnOptions.DEFAULTS.withPriority(Priority.CRITICAL));
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            long pings = 0;
            while (System.nanoTime() < end) {
                critical.ref().signal(new Ping(System.nanoTime()));
                pings++;
                LockSupport.parkNanos(1_000_000);
            }
            long floodCount = flooded.sum();
            long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (arrived.get() < pings && System.nanoTime() < giveUp) {
                LockSupport.parkNanos(1_000_000); // the last pings are still on their way
            }
            critical.stop();
            critical.join(Duration.ofSeconds(10)); // and now the histogram is the main thread's to read
            System.out.printf("   %-10s CRITICAL latency p50 %,8.1f us  p99 %,8.1f us  p99.9 %,8.1f us  max %,8.1f us"
                            + "  (%,d pings; flood %,.0f msg/s)%n", policy.name(),
                    latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(99) / 1e3,
                    latency.getValueAtPercentile(99.9) / 1e3, latency.getMaxValue() / 1e3, latency.getTotalCount(),
                    floodCount / (double) seconds);
            if (latency.getTotalCount() != pings) {
                throw new IllegalStateException("sent " + pings + " pings, " + latency.getTotalCount() + " arrived");
            }
        }
    }

    private static void rateLimit(int rate, int seconds) throws InterruptedException {
        try (AgentRuntime rt = AgentRuntime.builder().build()) {
            rt.start();
            flood(rt);
            AtomicLong taken = new AtomicLong();
            int backlog = rate * (seconds + 1);
            // The bucket holds 50 ms of tokens: a run delayed by the flood (the carriers' queues) catches up within
            // that, so the agent holds its rate; a smaller burst smooths more and loses what a late run could not use.
            int burst = Math.max(10, rate / 20);
            AgentHandle<Tick> metered = rt.spawn("metered", Behaviors.<Tick>nonBlocking((ctx, m) ->
                    taken.incrementAndGet()), SpawnOptions.DEFAULTS
                    .withMailbox(MailboxSettings.DEFAULTS.withCapacity(backlog))
                    .withScheduling(SchedulingPolicy.rateBased(rate, burst)));
            for (int i = 0; i < backlog; i++) {
                metered.ref().signal(TICK);
            }
            StringBuilder perSecond = new StringBuilder();
            long before = taken.get();
            long start = System.nanoTime();
            for (int s = 1; s <= seconds; s++) {
                LockSupport.parkNanos(start + Duration.ofSeconds(s).toNanos() - System.nanoTime());
                long now = taken.get();
                perSecond.append(String.format(" %,d", now - before));
                before = now;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf("   RATE_BASED (burst %,d) took per second:%s  (mean %,.0f/s, still queued %,d)%n", burst,
                    perSecond, taken.get() / elapsed, metered.metrics().mailboxDepth());
        }
    }

    private static void fairShare(SchedulingPolicy policy, int seconds) throws InterruptedException {
        // One carrier, so that the two agents compete for it (with two, each would have a carrier of its own).
        try (AgentRuntime rt = AgentRuntime.builder().workers(1).schedulingPolicy(policy).build()) {
            rt.start();
            LongAdder[] count = {new LongAdder(), new LongAdder()};
            LongAdder[] nanos = {new LongAdder(), new LongAdder()};
            int[] steps = {400, 40};
            for (int a = 0; a < 2; a++) {
                int who = a;
                AgentHandle<Tick> h = rt.spawn(a == 0 ? "heavy" : "light", Behaviors.<Tick>nonBlocking((ctx, m) -> {
                    long t0 = System.nanoTime();
                    if (work(steps[who]) > 0) {
                        count[who].increment();
                    }
                    nanos[who].add(System.nanoTime() - t0);
                    ctx.self().signal(TICK);
                }));
                for (int k = 0; k < BACKLOG; k++) {
                    h.ref().signal(TICK);
                }
            }
            LockSupport.parkNanos(Duration.ofSeconds(seconds).toNanos());
            long heavyNanos = nanos[0].sum();
            long lightNanos = nanos[1].sum();
            double total = heavyNanos + lightNanos;
            System.out.printf("   %-10s processing time heavy %4.1f%% light %4.1f%%; messages heavy %,d light %,d%n",
                    policy.name(), 100 * heavyNanos / total, 100 * lightNanos / total, count[0].sum(),
                    count[1].sum());
        }
    }
}
