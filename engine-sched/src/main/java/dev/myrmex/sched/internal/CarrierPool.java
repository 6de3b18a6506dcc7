package dev.myrmex.sched.internal;

import dev.myrmex.sched.SchedulerStats;
import dev.myrmex.sched.ShutdownReport;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jctools.queues.MpmcUnboundedXaddArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's engine: the workers, the global queue, the idle protocol and the stall monitor, and the one
 * {@link Executor} every virtual thread of this scheduler is submitted to.
 *
 * <h2>Contract</h2>
 * {@link #execute} is called by the JDK on every start, unpark, yield and unblock, from any thread, often by a
 * virtual thread that the JDK pinned for the call. It never blocks, never takes a lock on the fast paths, never
 * runs the task inline, and never throws: after shutdown, continuations go to a fallback executor of plain
 * platform threads so that no virtual thread is stranded and no waker sees an exception.
 * Where a submission comes from decides where it goes (see {@link #submit}).
 */
public final class CarrierPool implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(CarrierPool.class);
    /** Chunk size of the unbounded global queue: one chunk holds a burst of external wake-ups without linking. */
    private static final int GLOBAL_CHUNK = 1024;
    /** How long a spare carrier that finds nothing to run stays before it ends. */
    private static final long SPARE_KEEP_ALIVE_NANOS = 200_000_000;

    private final String name;
    final MpmcUnboundedXaddArrayQueue<Runnable> global = new MpmcUnboundedXaddArrayQueue<>(GLOBAL_CHUNK);
    final IdleCoordinator idle;
    private final Worker[] workers;
    private final StallMonitor monitor;
    /** Null when no spare may start (none allowed, or no stall monitor to start them). */
    final SpareCarriers spares;
    private final LongAdder externalSubmissions = new LongAdder();
    private final LongAdder fallbackSubmissions = new LongAdder();
    private final AtomicInteger liveWorkers;
    private volatile boolean terminating;
    private volatile ExecutorService fallback;

    /**
     * @param stallThreshold how long a run may hold a worker with work queued behind it before the work moves; zero
     *                       turns the stall monitor, and with it the spares, off
     * @param spareAfter     how long a run may hold a carrier before a spare may be started for it
     * @param maxSpares      most spare carriers running at once; zero for none
     */
    public CarrierPool(String name, int workerCount, long seed, Duration stallThreshold, Duration spareAfter,
                       int maxSpares) {
        JdkVirtualThreads.ensureAvailable();
        JdkVirtualThreads.startJdkPollersOnDefaultScheduler(); // before any thread of ours can start them
        this.name = name;
        this.idle = new IdleCoordinator(workerCount);
        this.workers = new Worker[workerCount];
        long s = seed;
        for (int i = 0; i < workerCount; i++) {
            s = s * 6364136223846793005L + 1442695040888963407L; // LCG step: a distinct seed per worker
            workers[i] = new Worker(this, i, s);
        }
        this.liveWorkers = new AtomicInteger(workerCount);
        this.spares = stallThreshold.isZero() || maxSpares == 0 ? null
                : new SpareCarriers(this, maxSpares, Math.max(SPARE_KEEP_ALIVE_NANOS, spareAfter.toNanos()));
        this.monitor = stallThreshold.isZero() ? null : new StallMonitor(this, stallThreshold, spareAfter, spares);
        for (Worker w : workers) {
            w.start();
        }
        if (monitor != null) {
            monitor.start();
        }
    }

    String name() {
        return name;
    }

    Worker[] workers() {
        return workers;
    }

    int workerCount() {
        return workers.length;
    }

    boolean terminating() {
        return terminating;
    }

    @Override
    public void execute(Runnable task) {
        submit(task, true);
    }

    /**
     * Routes a continuation by where the call comes from (docs/scheduler.md, section 3):
     * <ol>
     *   <li>a virtual thread carried by worker W wakes or starts it: W's LIFO slot (if {@code lifoAllowed}), so it
     *       runs next on the same core;</li>
     *   <li>worker W's own platform thread submits it (a yield, or a park that raced with its unpark, re-submitted
     *       after unmount): the tail of W's local queue, never the LIFO slot, or a yielding thread re-runs at
     *       once;</li>
     *   <li>anything else (timer, unblocker and poller threads, foreign threads, other schedulers): the global queue,
     *       then a wake-up if no worker is searching.</li>
     * </ol>
     */
    public void submit(Runnable task, boolean lifoAllowed) {
        Thread carrier = JdkVirtualThreads.currentCarrierThread();
        if (carrier instanceof Worker w && w.pool == this) {
            if (lifoAllowed && carrier != Thread.currentThread()) {
                w.pushLifo(task);
            } else {
                w.pushTail(task);
            }
            return;
        }
        submitExternal(task);
    }

    private void submitExternal(Runnable task) {
        if (terminating) {
            toFallback(task);
            return;
        }
        global.offer(task);
        externalSubmissions.increment();
        // Store the task, then load the flag; the closer stores the flag, then drains (loads) the queue. The fence
        // makes it a Dekker pair: if we read false, the closer's later drain sees our task. The same fence serves the
        // idle protocol's pair (task store before the load of the searching count): hence notifyOneFenced.
        VarHandle.fullFence();
        if (terminating) {
            // Raced with shutdown: the closer may have drained the global queue before our offer landed.
            drainGlobalToFallback();
            return;
        }
        idle.notifyOneFenced();
        if (spares != null) {
            spares.wakeIdle(); // after the same fence: a spare that announced itself idle is seen
        }
    }

    /** True if {@code e} is this pool or one of its lanes: virtual threads built with it are carried here. */
    public boolean carries(Executor e) {
        return e == this || (e instanceof PoolLane lane && lane.carriedBy(this));
    }

    /**
     * True if a searcher could take something: a continuation in the global queue or in a local queue. LIFO slots do
     * not count: they cannot be stolen, their owner runs them next (or the stall monitor moves them to the global
     * queue), and filling one never notifies. Counting them made a parking worker whose sibling held a slot during a
     * long run wake itself, fail to steal and park again, millions of times a second.
     */
    boolean hasStealableWork() {
        if (!global.isEmpty()) {
            return true;
        }
        for (Worker w : workers) {
            if (!w.local.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    void reportTaskFailure(String carrier, Runnable task, Throwable t) {
        LOG.error("{} threw {} out of a continuation run; the carrier carries on", carrier, task, t);
    }

    void workerExiting(Worker w) {
        // Whatever this worker still held must not strand its virtual threads.
        w.drainTo(this::toFallback);
        if (liveWorkers.decrementAndGet() == 0) {
            drainGlobalToFallback();
        }
    }

    private void drainGlobalToFallback() {
        Runnable t;
        while ((t = global.poll()) != null) {
            toFallback(t);
        }
    }

    private void toFallback(Runnable task) {
        fallbackSubmissions.increment();
        fallback().execute(task);
    }

    private ExecutorService fallback() {
        ExecutorService f = fallback;
        if (f == null) {
            synchronized (this) {
                f = fallback;
                if (f == null) {
                    // Plain platform threads carry stragglers after shutdown: late unparks must not throw at the waker
                    // (a RejectedExecutionException would surface in whoever called unpark) nor strand the thread.
                    fallback = f = Executors.newCachedThreadPool(Thread.ofPlatform()
                            .name(name + "-fallback-", 0).daemon(true).factory());
                }
            }
        }
        return f;
    }

    /**
     * Orderly shutdown: waits up to {@code grace} for this scheduler's virtual threads to end, then stops the workers
     * (each finishes the continuation it is running) and hands anything still queued to the fallback executor.
     */
    public ShutdownReport shutdown(Duration grace) {
        Thread carrier = JdkVirtualThreads.currentCarrierThread();
        if (carrier instanceof Worker w && w.pool == this) {
            throw new IllegalStateException("shutdown() called from a virtual thread that this scheduler carries ("
                    + Thread.currentThread() + "): it would wait for its own carrier; call it from another thread");
        }
        long deadline = CarrierClock.nanoTime() + grace.toNanos();
        for (Thread t : JdkVirtualThreads.liveVirtualThreads(this::carries)) {
            long left = deadline - CarrierClock.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                t.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<Thread> stillAlive = JdkVirtualThreads.liveVirtualThreads(this::carries);
        terminating = true;
        idle.wakeAll();
        if (spares != null) {
            spares.retireAll();
        }
        if (monitor != null) {
            monitor.interrupt();
        }
        boolean interrupted = false;
        for (Worker w : workers) {
            while (w.isAlive()) {
                try {
                    w.join();
                } catch (InterruptedException e) {
                    interrupted = true; // finish the shutdown first; the interrupt is restored below
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        drainGlobalToFallback();
        List<String> names = new ArrayList<>(stillAlive.size());
        for (Thread t : stillAlive) {
            names.add(t.toString());
        }
        ShutdownReport report = new ShutdownReport(stillAlive.size(), List.copyOf(names), fallbackSubmissions.sum());
        if (!stillAlive.isEmpty()) {
            LOG.warn("{} closed with {} virtual thread(s) still alive; they continue on fallback platform threads: {}",
                    name, stillAlive.size(), names);
        }
        return report;
    }

    /** Stops the fallback executor's idle threads; live stragglers keep running. For tests and orderly exits. */
    public void releaseFallback(Duration wait) throws InterruptedException {
        ExecutorService f = fallback;
        if (f != null) {
            f.shutdown();
            f.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    public SchedulerStats stats() {
        List<SchedulerStats.WorkerStats> per = new ArrayList<>(workers.length);
        for (Worker w : workers) {
            per.add(new SchedulerStats.WorkerStats(w.index, w.tasksRun, w.lifoHits, w.steals, w.stolenTasks,
                    w.globalPolls, w.parks, w.taskFailures, w.local.size(), w.lifoOccupied(),
                    idle.isSleeping(w.index)));
        }
        return SchedulerStats.of(per, global.size(), externalSubmissions.sum(), idle.wakeups(),
                monitor == null ? 0 : monitor.rescues(), monitor == null ? 0 : monitor.rescuedTasks(),
                spares == null ? 0 : spares.started(), spares == null ? 0 : spares.running(),
                fallbackSubmissions.sum());
    }
}
