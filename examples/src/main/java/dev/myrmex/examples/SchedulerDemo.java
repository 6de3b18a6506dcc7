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
 * It prints time per hop and per spawned thread under each scheduler, and what our scheduler did (LIFO hand-offs,
 * steals, parks). Run it with {@code ./myrmex demo}; options: {@code --workers N --ring N --hops N --spawn N}.
 * For measurements you can quote, use the JMH suites ({@code ./myrmex bench}): this demo runs each part once.
 */
public final class SchedulerDemo {
    private SchedulerDemo() {
    }

    public static void main(String[] args) throws InterruptedException {
        Options o = Options.parse(args);
        System.out.printf(Locale.ROOT, "Myrmex scheduler demo: %d workers, ring of %d threads x %,d hops, spawn %,d%n%n",
                o.workers, o.ring, o.hops, o.spawn);
        try (WorkStealingScheduler myrmex = WorkStealingScheduler.builder().workers(o.workers).name("demo").build()) {
            // A first pass of each warms the JIT, the second is reported.
            ring(myrmex.threadBuilder(), o.ring, o.hops / 4);
            ring(Thread.ofVirtual(), o.ring, o.hops / 4);
            double ringOurs = ring(myrmex.threadBuilder(), o.ring, o.hops);
            double ringJdk = ring(Thread.ofVirtual(), o.ring, o.hops);
            spawn(myrmex.threadBuilder(), o.spawn / 4);
            spawn(Thread.ofVirtual(), o.spawn / 4);
            SchedulerStats before = myrmex.stats();
            double spawnOurs = spawn(myrmex.threadBuilder(), o.spawn);
            double spawnJdk = spawn(Thread.ofVirtual(), o.spawn);
            SchedulerStats after = myrmex.stats();

            System.out.printf(Locale.ROOT, "%-22s %14s %14s %8s%n", "", "Myrmex", "JDK default", "ratio");
            System.out.printf(Locale.ROOT, "%-22s %11.1f ns %11.1f ns %7.1fx%n", "thread ring, per hop", ringOurs,
                    ringJdk, ringJdk / ringOurs);
            System.out.printf(Locale.ROOT, "%-22s %11.1f ns %11.1f ns %7.1fx%n", "spawn+join, per thread",
                    spawnOurs, spawnJdk, spawnJdk / spawnOurs);
            System.out.println();
            System.out.printf(Locale.ROOT, "During the timed spawn run our scheduler ran %,d continuations: %,d from a LIFO "
                            + "slot, %,d stolen in %,d steals, %,d from the global queue; workers parked %,d times.%n",
                    after.tasksRun() - before.tasksRun(), after.lifoHits() - before.lifoHits(),
                    after.stolenTasks() - before.stolenTasks(), after.steals() - before.steals(),
                    after.globalPolls() - before.globalPolls(), after.parks() - before.parks());
            System.out.println("Totals: " + after);
        }
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
            long hops = 5_000_000;
            int spawn = 200_000;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + a + " needs a value");
                }
                String v = args[++i];
                try {
                    switch (a) {
                        case "--workers" -> workers = Integer.parseInt(v);
                        case "--ring" -> ring = Integer.parseInt(v);
                        case "--hops" -> hops = Long.parseLong(v);
                        case "--spawn" -> spawn = Integer.parseInt(v);
                        default -> throw new IllegalArgumentException(
                                "unknown option " + a + " (known: --workers, --ring, --hops, --spawn)");
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("option " + a + " needs a number, got '" + v + "'");
                }
            }
            if (workers < 1 || ring < 2 || hops < 4 || spawn < 4) {
                throw new IllegalArgumentException(
                        "need --workers >= 1, --ring >= 2, --hops >= 4, --spawn >= 4; got " + workers + ", " + ring
                                + ", " + hops + ", " + spawn);
            }
            return new Options(workers, ring, hops, spawn);
        }
    }
}
