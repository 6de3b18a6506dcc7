package dev.myrmex.sched.internal;

import dev.myrmex.sched.Lane;
import dev.myrmex.sched.LaneGroup;
import dev.myrmex.sched.RunHook;
import dev.myrmex.sched.SpinLock;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LaneGroup} behind {@link dev.myrmex.sched.WorkStealingScheduler#newLaneGroup}: one queue of runs ordered
 * by rank, drained by at most {@code parallelism} <em>drainers</em>, plain tasks on the carrier pool that take the
 * smallest-ranked run, run it inline (a virtual thread's continuation mounts right there, on the carrier) and loop.
 *
 * <h2>One run per lane at a time</h2>
 * A member lane has at most one run in flight (queued or running). Submissions that come meanwhile wait in the
 * member, in order, and each is ranked and queued only when the run before it has ended, after its hook's
 * {@code afterRun}. So the hook's calls never overlap, and a rank always reflects the run that just ended: a handler
 * turn or a virtual thread re-submits itself from inside its run, before the hook has seen that run end. A lane whose
 * agent starts threads of its own (they inherit its lane) runs them one at a time, as part of the agent.
 *
 * <h2>Concurrency</h2>
 * <ul>
 *   <li>The lock is a {@link SpinLock}: producers include virtual threads, and the drainers run on the carriers, so
 *       a waiting virtual thread must never be parked behind carriers that wait too (that stopped the runtime).</li>
 *   <li>Producers: any thread submits through a member lane ({@link #submit}). Under {@link #lock} it either parks the
 *       task in the member (a run is in flight) or marks the member in flight; in the latter case it ranks the task
 *       (outside the lock: a rank is user code) and files it under the lock, which also hands out the arrival
 *       sequence that breaks ties; then it makes sure a drainer is coming.</li>
 *   <li>Consumers: the drainers, each taking one run at a time under the lock, and, once it has ended, the member's
 *       next waiting task, if any.</li>
 *   <li>No lost wake-up: a producer files its run, then reads {@link #active}; a drainer that finds the queue empty
 *       decrements {@link #active}, then looks at the queue again (under the lock) and reactivates itself if a run
 *       came. The lock orders the two looks: a producer that saw all drainers active filed its run before the
 *       drainer's second look, which then takes it.</li>
 * </ul>
 */
public final class RankedLaneGroup implements LaneGroup {
    private static final Logger LOG = LoggerFactory.getLogger(RankedLaneGroup.class);
    /** Runs a drainer takes before it goes to the back of its carrier's queue, letting other work run. */
    static final int RUNS_PER_SLICE = 32;
    /** ... or this long, whichever comes first. */
    static final long SLICE_NANOS = 50_000;

    private final CarrierPool pool;
    private final String name;
    private final int parallelism;
    private final SpinLock lock = new SpinLock(); // never a ReentrantLock: see SpinLock
    private final PriorityQueue<Run> queue = new PriorityQueue<>(); // guarded by lock
    private long arrivals; // guarded by lock
    private final AtomicInteger active = new AtomicInteger(); // drainers started and not yet retired

    public RankedLaneGroup(CarrierPool pool, String name, int parallelism) {
        this.pool = pool;
        this.name = name;
        this.parallelism = parallelism;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int parallelism() {
        return parallelism;
    }

    @Override
    public Lane newLane(String laneName, RunHook hook, LongSupplier rank) {
        Objects.requireNonNull(laneName, "name");
        Objects.requireNonNull(hook, "hook");
        Objects.requireNonNull(rank, "rank");
        return new Member(laneName, hook, rank);
    }

    @Override
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private void submit(Member lane, Runnable task) {
        lock.lock();
        try {
            if (lane.inFlight) {
                lane.waiting().add(task); // queued when the run in flight ends
                return;
            }
            lane.inFlight = true;
        } finally {
            lock.unlock();
        }
        enqueue(lane, task);
    }

    /** Ranks and queues the one task of {@code lane} in flight, then makes sure a drainer is coming. */
    private void enqueue(Member lane, Runnable task) {
        long rank = lane.rank.getAsLong();
        lock.lock();
        try {
            queue.add(new Run(rank, arrivals++, lane, task));
        } finally {
            lock.unlock();
        }
        if (tryActivate()) {
            pool.execute(new Drainer()); // from a carrier: its LIFO slot, so a woken run goes next on this core
        }
    }

    /** {@code lane}'s run ended: its next waiting task goes to the queue, or it is no longer in flight. */
    private void runEnded(Member lane) {
        Runnable next;
        lock.lock();
        try {
            next = lane.waiting == null ? null : lane.waiting.poll();
            if (next == null) {
                lane.inFlight = false;
                return;
            }
        } finally {
            lock.unlock();
        }
        enqueue(lane, next);
    }

    /** Claims a drainer slot if fewer than {@link #parallelism} are active. */
    private boolean tryActivate() {
        int n = active.get();
        while (n < parallelism) {
            if (active.compareAndSet(n, n + 1)) {
                return true;
            }
            n = active.get();
        }
        return false;
    }

    private Run poll() {
        lock.lock();
        try {
            return queue.poll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "LaneGroup[" + name + ", parallelism " + parallelism + ", queued " + queued() + "]";
    }

    /** One queued run: smaller rank first (by signed difference, so that time-based ranks may wrap), then arrival. */
    private record Run(long rank, long arrival, Member lane, Runnable task) implements Comparable<Run> {
        @Override
        public int compareTo(Run o) {
            long d = rank - o.rank;
            if (d != 0) {
                return d < 0 ? -1 : 1;
            }
            return Long.compare(arrival, o.arrival);
        }

        void run() {
            RunHook h = lane.hook;
            try {
                h.beforeRun();
            } catch (Throwable t) {
                LOG.error("RunHook.beforeRun of {} threw; the run goes ahead anyway", lane, t);
            }
            try {
                task.run();
            } catch (Throwable t) {
                LOG.error("a task of {} threw {}; the group carries on", lane, t.toString(), t);
            } finally {
                try {
                    h.afterRun();
                } catch (Throwable t) {
                    LOG.error("RunHook.afterRun of {} threw", lane, t);
                }
            }
        }
    }

    /** Takes runs in rank order for one slice, then steps aside (keeping its slot) or retires when none are left. */
    private final class Drainer implements Runnable {
        @Override
        public void run() {
            long sliceEnd = CarrierClock.nanoTime() + SLICE_NANOS;
            for (int runs = 0; ; ) {
                Run r = poll();
                if (r == null) {
                    active.decrementAndGet();
                    if (queued() == 0 || !tryActivate()) {
                        return; // retired; or a producer that came meanwhile has started another drainer
                    }
                    continue;
                }
                r.run();
                runEnded(r.lane);
                if (++runs == RUNS_PER_SLICE || CarrierClock.nanoTime() - sliceEnd >= 0) {
                    pool.submit(this, false); // still active: to the tail of this carrier's queue, behind others
                    return;
                }
            }
        }
    }

    /** A member lane: its threads' continuations and its plain tasks are queued in the group at its rank. */
    private final class Member implements Lane, Executor, PoolLane {
        private final String laneName;
        private final RunHook hook;
        private final LongSupplier rank;
        private boolean inFlight; // guarded by lock: a run of this lane is queued or running
        private ArrayDeque<Runnable> waiting; // guarded by lock: made on first use

        Member(String laneName, RunHook hook, LongSupplier rank) {
            this.laneName = laneName;
            this.hook = hook;
            this.rank = rank;
        }

        @Override
        public String name() {
            return laneName;
        }

        @Override
        public Thread.Builder.OfVirtual threadBuilder() {
            return JdkVirtualThreads.newBuilder(this);
        }

        @Override
        public Executor executor() {
            return this;
        }

        @Override
        public boolean lifoEligible() {
            return false;
        }

        @Override
        public void lifoEligible(boolean eligible) {
            throw new UnsupportedOperationException("lane " + laneName + " belongs to lane group " + name
                    + ": its runs are taken in the group's rank order, never from the LIFO slot");
        }

        @Override
        public void execute(Runnable task) {
            submit(this, Objects.requireNonNull(task, "task"));
        }

        ArrayDeque<Runnable> waiting() { // under lock
            if (waiting == null) {
                waiting = new ArrayDeque<>(4);
            }
            return waiting;
        }

        @Override
        public boolean carriedBy(CarrierPool p) {
            return pool == p;
        }

        @Override
        public String toString() {
            return "Lane[" + laneName + " in " + name + "]";
        }
    }
}
