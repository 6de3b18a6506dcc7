package dev.myrmex.sched;

import dev.myrmex.sched.internal.CarrierClock;
import dev.myrmex.sched.internal.CarrierPool;
import dev.myrmex.sched.internal.JdkVirtualThreads;
import dev.myrmex.sched.internal.LaneExecutor;
import dev.myrmex.sched.internal.RankedLaneGroup;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * A work-stealing carrier scheduler for virtual threads. A virtual thread started from {@link #threadBuilder()} (or a
 * {@link Lane}) is carried by this scheduler's worker platform threads instead of the JDK's default ForkJoinPool.
 *
 * <p>What it does differently: when a virtual thread wakes another (an unpark, a start), the woken one goes to the
 * <em>LIFO slot</em> of the waker's worker and runs next on the same core, cache-hot; message passing between two
 * agents costs one queue-free hand-off and one continuation switch. Each worker has a bounded local queue (256) that
 * idle siblings steal half of; wake-ups from outside (timers, I/O pollers, platform threads) go to a global queue.
 * Idle workers park. The design, with its sources, is in {@code docs/scheduler.md}.
 *
 * <pre>{@code
 * try (WorkStealingScheduler scheduler = WorkStealingScheduler.builder().workers(2).build()) {
 *     Thread t = scheduler.threadBuilder().name("hello").start(() -> System.out.println("carried by Myrmex"));
 *     t.join();
 *     System.out.println(scheduler.stats());
 * }
 * }</pre>
 *
 * <p>The JVM must run with {@code --add-opens java.base/java.lang=ALL-UNNAMED} and
 * {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}: the JDK has no public scheduler API yet. Without them
 * {@link Builder#build()} throws an {@link IllegalStateException} that names the flag.
 *
 * <p>Caveats. Virtual threads are not pre-empted: one that computes for long without parking holds its carrier.
 * One blocked in native code or pinned holds it too, and so does a carrier task that never returns. The stall monitor
 * moves the work queued behind a stuck carrier to its siblings after {@link Builder#stallThreshold(Duration)}, and
 * while runs hold carriers for longer than {@link Builder#spareAfter(Duration)} it starts spare carriers, one per held
 * carrier and at most {@link Builder#maxSpares(int)}, which end as the held runs return (the way a ForkJoinPool
 * compensates for a blocked thread). Only if the spares are held too does the rest wait.
 * A virtual thread started by a thread this scheduler carries inherits this scheduler (JDK 25 behavior).
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public final class WorkStealingScheduler implements AutoCloseable {
    private final CarrierPool pool;
    private final Duration closeGrace;
    private final Executor carrierExecutor;
    private final Object closeLock = new Object();
    private ShutdownReport shutdownReport; // guarded by closeLock

    private WorkStealingScheduler(Builder b) {
        this.pool = new CarrierPool(b.name, b.workers, b.seed, b.stallThreshold, b.spareAfter,
                b.maxSpares < 0 ? b.workers : b.maxSpares);
        this.closeGrace = b.closeGrace;
        this.carrierExecutor = pool::execute;
    }

    /** A builder with the defaults: one worker per available processor. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder of virtual threads carried by this scheduler. Each call returns a new, independent builder. */
    public Thread.Builder.OfVirtual threadBuilder() {
        return JdkVirtualThreads.newBuilder(pool);
    }

    /**
     * An executor that runs tasks directly on the carrier threads, with no virtual thread around them: for short,
     * non-blocking work such as one turn of an event-driven agent (the way a Pekko dispatcher runs a mailbox). A task
     * submitted from a carrier (by a task it runs, or by a virtual thread it carries) goes to that carrier's own queue
     * and runs there soon, cache-hot; one submitted from any other thread goes to the global queue and wakes a worker.
     *
     * <p>A task that blocks holds its carrier like a pinned virtual thread does: the stall monitor lets the other
     * carriers take the work queued behind it, but the carrier itself is lost until the task returns. Put blocking
     * work on a virtual thread from {@link #threadBuilder()} instead. A task that throws is counted
     * ({@link SchedulerStats.WorkerStats#taskFailures()}) and logged; the carrier carries on. After shutdown, tasks run
     * on fallback platform threads, as virtual threads do.
     *
     * <pre>{@code
     * Executor carriers = scheduler.carrierExecutor();
     * carriers.execute(() -> counter.increment());
     * }</pre>
     */
    public Executor carrierExecutor() {
        return carrierExecutor;
    }

    /**
     * A new lane: virtual threads started from it are carried here and every run of theirs passes through
     * {@code hook}. Make one per agent or one per priority class.
     */
    public Lane newLane(String name, RunHook hook) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hook, "hook");
        return new LaneExecutor(pool, name, hook);
    }

    /**
     * A new group of lanes whose runs are taken in rank order, by at most {@code parallelism} carriers at once: see
     * {@link LaneGroup}. Priorities, fair share and round robin are built on it.
     *
     * @throws IllegalArgumentException if {@code parallelism} is below 1
     */
    public LaneGroup newLaneGroup(String name, int parallelism) {
        Objects.requireNonNull(name, "name");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
        }
        return new RankedLaneGroup(pool, name, parallelism);
    }

    /** The number of carrier threads. */
    public int workers() {
        return stats().workers();
    }

    /** True if {@code thread} is a virtual thread carried by this scheduler (directly or through a lane). */
    public boolean carries(Thread thread) {
        return thread.isVirtual() && pool.carries(JdkVirtualThreads.schedulerOf(thread));
    }

    /** Counters and queue depths, per worker and in total. */
    public SchedulerStats stats() {
        return pool.stats();
    }

    /**
     * Orderly shutdown. Waits up to {@code grace} for this scheduler's virtual threads to end, then stops the workers
     * (each finishes the run it is in). Threads still alive are not killed: from then on their continuations run on
     * fallback platform threads, and the report names them. Idempotent: later calls return the first report.
     *
     * @throws IllegalStateException if called from a virtual thread this scheduler carries
     */
    public ShutdownReport shutdown(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        synchronized (closeLock) {
            if (shutdownReport == null) {
                shutdownReport = pool.shutdown(grace);
            }
            return shutdownReport;
        }
    }

    /**
     * {@link #shutdown(Duration)} with the builder's close grace (5 s by default); a report of live threads is logged.
     */
    @Override
    public void close() {
        shutdown(closeGrace);
    }

    @Override
    public String toString() {
        return "WorkStealingScheduler" + stats();
    }

    /** Options for a {@link WorkStealingScheduler}. */
    public static final class Builder {
        private int workers = Runtime.getRuntime().availableProcessors();
        private String name = "myrmex";
        private long seed = CarrierClock.nanoTime();
        private Duration stallThreshold = Duration.ofMillis(1);
        private Duration closeGrace = Duration.ofSeconds(5);
        private Duration spareAfter = Duration.ofMillis(50);
        private int maxSpares = -1; // as many as workers

        private Builder() {
        }

        /** Carrier threads, 1 to 32767. Default: available processors. */
        public Builder workers(int n) {
            if (n < 1 || n > 0x7FFF) {
                throw new IllegalArgumentException("workers must be between 1 and 32767: " + n);
            }
            this.workers = n;
            return this;
        }

        /** Prefix of the worker thread names. Default {@code myrmex}. */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        /** Seed of the victim choice when stealing, so a run can be repeated. Default: the clock. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * How long a worker may stay in one continuation run, with work queued behind it, before the stall monitor
         * moves that work to its siblings. Default 1 ms (Pony's blocked-scheduler threshold). Zero turns the monitor
         * off.
         */
        public Builder stallThreshold(Duration threshold) {
            Objects.requireNonNull(threshold, "threshold");
            if (threshold.isNegative()) {
                throw new IllegalArgumentException("stallThreshold must not be negative: " + threshold);
            }
            this.stallThreshold = threshold;
            return this;
        }

        /**
         * How long one run may hold a carrier before a spare carrier may be started to keep the others' work moving.
         * Default 50 ms: far above a healthy run (a turn of a handler, a slice of a virtual thread), far below a
         * liveness timeout. Needs the stall monitor ({@link #stallThreshold}), which checks at its own interval.
         */
        public Builder spareAfter(Duration threshold) {
            Objects.requireNonNull(threshold, "threshold");
            if (threshold.isNegative() || threshold.isZero()) {
                throw new IllegalArgumentException("spareAfter must be positive: " + threshold);
            }
            this.spareAfter = threshold;
            return this;
        }

        /**
         * Most spare carriers alive at once: the pool never runs more than {@code workers + max} carriers. Default: as
         * many as workers. Zero: no spares, and runs that hold every carrier stop everything else until they return.
         */
        public Builder maxSpares(int max) {
            if (max < 0 || max > 0x7FFF) {
                throw new IllegalArgumentException("maxSpares must be between 0 and 32767: " + max);
            }
            this.maxSpares = max;
            return this;
        }

        /** How long {@link #close()} waits for virtual threads to end. Default 5 s. */
        public Builder closeGrace(Duration grace) {
            Objects.requireNonNull(grace, "grace");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("closeGrace must not be negative: " + grace);
            }
            this.closeGrace = grace;
            return this;
        }

        /**
         * Starts the workers and returns the scheduler.
         *
         * @throws IllegalStateException if the JVM lacks a flag the scheduler needs; the message names it
         */
        public WorkStealingScheduler build() {
            return new WorkStealingScheduler(this);
        }
    }
}
