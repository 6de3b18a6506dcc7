package dev.myrmex.examples;

import dev.myrmex.sched.SchedulerStats;
import dev.myrmex.sched.WorkStealingScheduler;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The Myrmex carrier scheduler next to the JDK's default one, on two workloads that agents live on:
 * <ul>
 *   <li>a thread ring (Savina's ThreadRing): {@code --ring} virtual threads pass a token {@code --hops} times, each hop
 *       an unpark and a park, the shape of one agent signalling the next;</li>
 *   <li>spawn and join: one virtual thread starts {@code --spawn} virtual threads and joins them all.</li>
 * </ul>
 * It prints the median time per hop and per spawned thread under each scheduler over a few rounds, and what our
 * scheduler did (LIFO hand-offs, steals, parks). Run it with {@code ./myrmex demo}; options:
 * {@code --workers N --ring N --hops N --spawn N} (hops and spawn are per round).
 * For measurements you can quote, use the JMH suites ({@code ./myrmex bench}).
 */
public final class SchedulerDemo {
    private SchedulerDemo() {
    }

    /** Rounds thrown away while the JIT compiles both schedulers' paths (the workers' loops among them). */
    static final int WARM_UP_ROUNDS = 3;
    /** Measured rounds; the median is reported. Each round runs both schedulers, one after the other. */
    static final int ROUNDS = 5;

    public static void main(String[] args) throws InterruptedException {
        Options o = Options.parse(args);
        System.out.printf(Locale.ROOT, "Myrmex scheduler demo: %d workers, ring of %d threads x %,d hops, spawn %,d "
                + "(median of %d rounds after %d warm-up rounds)%n%n", o.workers, o.ring, o.hops, o.spawn, ROUNDS,
                WARM_UP_ROUNDS);
        try (WorkStealingScheduler myrmex = WorkStealingScheduler.builder().workers(o.workers).name("demo").build()) {
            double[] ring = compare(threads -> ring(threads, o.ring, o.hops), myrmex);
            SchedulerStats before = myrmex.stats();
            double[] spawn = compare(threads -> spawn(threads, o.spawn), myrmex);
            SchedulerStats after = myrmex.stats();

            System.out.printf(Locale.ROOT, "%-22s %14s %14s %8s%n", "", "Myrmex", "JDK default", "ratio");
            System.out.printf(Locale.ROOT, "%-22s %11.1f ns %11.1f ns %7.1fx%n", "thread ring, per hop", ring[0],
                    ring[1], ring[1] / ring[0]);
            System.out.printf(Locale.ROOT, "%-22s %11.1f ns %11.1f ns %7.1fx%n", "spawn+join, per thread",
                    spawn[0], spawn[1], spawn[1] / spawn[0]);
            System.out.println();
            System.out.printf(Locale.ROOT, "During the spawn rounds our scheduler ran %,d continuations: %,d from a "
                            + "LIFO slot, %,d stolen in %,d steals, %,d from the global queue; workers parked %,d "
                            + "times.%n",
                    after.tasksRun() - before.tasksRun(), after.lifoHits() - before.lifoHits(),
                    after.stolenTasks() - before.stolenTasks(), after.steals() - before.steals(),
                    after.globalPolls() - before.globalPolls(), after.parks() - before.parks());
            System.out.println("Totals: " + after);
        }
    }

    /** A workload run on a given builder's threads, returning ns per operation. */
    interface Workload {
        double run(Thread.Builder.OfVirtual threads) throws InterruptedException;
    }

    /**
     * Runs {@code workload} on our scheduler and on the JDK's, alternating so that both see the same machine, and
     * returns the medians {ours, jdk} of the measured rounds.
     */
    static double[] compare(Workload workload, WorkStealingScheduler ours) throws InterruptedException {
        double[] mine = new double[ROUNDS];
        double[] jdk = new double[ROUNDS];
        for (int r = -WARM_UP_ROUNDS; r < ROUNDS; r++) {
            double a = workload.run(ours.threadBuilder());
            double b = workload.run(Thread.ofVirtual());
            if (r >= 0) {
                mine[r] = a;
                jdk[r] = b;
            }
        }
        return new double[] {median(mine), median(jdk)};
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Passes a token around a ring of virtual threads; returns ns per hop. */
    static double ring(Thread.Builder.OfVirtual threads, int size, long hops) throws InterruptedException {
        Thread[] ring = new Thread[size];
        // tokens[i] >= 0: thread i holds the token, with that many hops done; -1: it does not. Long.MAX_VALUE: stop.
        AtomicLongArray tokens = new AtomicLongArray(size);
        CountDownLatch done = new CountDownLatch(1);
        for (int i = 0; i < size; i++) {
            int me = i;
            tokens.set(i, -1);
            ring[i] = threads.unstarted(() -> {
                while (true) {
                    long t;
                    while ((t = tokens.getAndSet(me, -1)) < 0) {
                        LockSupport.park();
                    }
                    int next = (me + 1) % size;
                    if (t == Long.MAX_VALUE || t >= hops) {
                        if (t != Long.MAX_VALUE) {
                            done.countDown();
                        }
                        tokens.set(next, Long.MAX_VALUE);
                        LockSupport.unpark(ring[next]);
                        return;
                    }
                    tokens.set(next, t + 1);
                    LockSupport.unpark(ring[next]);
                }
            });
        }
        for (Thread t : ring) {
            t.start();
        }
        long start = System.nanoTime();
        tokens.set(0, 0);
        LockSupport.unpark(ring[0]);
        done.await();
        long elapsed = System.nanoTime() - start;
        for (Thread t : ring) {
            t.join();
        }
        return (double) elapsed / hops;
    }

    /** Starts {@code n} virtual threads from a virtual thread and joins them; returns ns per thread. */
    static double spawn(Thread.Builder.OfVirtual threads, int n) throws InterruptedException {
        Thread[] spawned = new Thread[n];
        long start = System.nanoTime();
        Thread spawner = threads.start(() -> {
            for (int i = 0; i < n; i++) {
                spawned[i] = threads.start(() -> { });
            }
            try {
                for (Thread t : spawned) {
                    t.join();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        spawner.join();
        return (double) (System.nanoTime() - start) / n;
    }

    record Options(int workers, int ring, long hops, int spawn) {
        static Options parse(String[] args) {
            int workers = Runtime.getRuntime().availableProcessors();
            int ring = 503;
            long hops = 1_000_000;
            int spawn = 200_000;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new BadArgumentsException("option " + a + " needs a value");
                }
                String v = args[++i];
                try {
                    switch (a) {
                        case "--workers" -> workers = Integer.parseInt(v);
                        case "--ring" -> ring = Integer.parseInt(v);
                        case "--hops" -> hops = Long.parseLong(v);
                        case "--spawn" -> spawn = Integer.parseInt(v);
                        default -> throw new BadArgumentsException(
                                "unknown option " + a + " (known: --workers, --ring, --hops, --spawn)");
                    }
                } catch (NumberFormatException e) {
                    throw new BadArgumentsException("option " + a + " needs a number, got '" + v + "'");
                }
            }
            if (workers < 1 || ring < 2 || hops < 4 || spawn < 4) {
                throw new BadArgumentsException(
                        "need --workers >= 1, --ring >= 2, --hops >= 4, --spawn >= 4; got " + workers + ", " + ring
                                + ", " + hops + ", " + spawn);
            }
            return new Options(workers, ring, hops, spawn);
        }
    }
}
