package dev.myrmex.sched.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.SpmcArrayQueue;

/**
 * One carrier: a platform thread that runs virtual-thread continuations from its LIFO slot, its local queue, the
 * global queue, and what it steals from siblings.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #local}: single producer, this worker (its own pushes, and what it steals or takes from the global
 *       queue); many consumers, this worker and thieves (JCTools SPMC, each poll a CAS).</li>
 *   <li>{@link #lifo}: written by this worker (a VT it carries wakes another) and taken by this worker; the stall
 *       monitor may take it when this worker is stuck. Both sides use atomic exchange, so a continuation leaves the
 *       slot exactly once.</li>
 *   <li>The run count and the counters it shares with spares: see {@link Carrier}.</li>
 *   <li>Counters ({@code tasksRun}, {@code steals}, ...): written by this worker only, read racily by stats.</li>
 * </ul>
 * See {@code package-info.java} for the run loop as a whole.
 */
public final class Worker extends Carrier {
    /** Local run queue size, as Tokio's {@code LOCAL_QUEUE_CAPACITY} (docs/scheduler.md, section 2). */
    static final int LOCAL_CAPACITY = 256;
    /**
     * At most this many LIFO runs in a row, then the slot's occupant goes to the back of the local queue so queued
     * work is not starved by a ping-pong pair (Tokio {@code MAX_LIFO_POLLS_PER_TICK = 3}).
     */
    static final int MAX_LIFO_RUNS = 3;
    /** Check the global queue first every this many ticks (Go {@code schedtick % 61}; a prime, so it does not beat). */
    static final int GLOBAL_POLL_INTERVAL = 61;
    /** Most continuations moved from the global queue to the local one at once (Tokio, Go {@code globrunqget}). */
    static final int MAX_GLOBAL_BATCH = LOCAL_CAPACITY / 2;

    private static final VarHandle LIFO;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            LIFO = l.findVarHandle(Worker.class, "lifo", Runnable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int index;
    final SpmcArrayQueue<Runnable> local = new SpmcArrayQueue<>(LOCAL_CAPACITY);
    @SuppressWarnings("unused") // accessed through LIFO
    private volatile Runnable lifo;

    private final XorShiftRandom random;
    private final java.util.function.BooleanSupplier anyStealableWork;
    private int tick;
    private int lifoRuns;
    private boolean searching;

    long lifoHits;
    long steals;
    long stolenTasks;
    long globalPolls;
    long parks;

    Worker(CarrierPool pool, int index, long seed) {
        super(pool, pool.name() + "-worker-" + index);
        this.index = index;
        this.random = new XorShiftRandom(seed);
        this.anyStealableWork = pool::hasStealableWork; // made once: parking must not allocate
        pool.idle.attach(index, this);
    }

    // ---- submissions, called only on this worker's own thread (by a VT it carries, or by itself) ----

    /** A VT carried here woke or started {@code task}: run it next, here, cache-hot. */
    void pushLifo(Runnable task) {
        Runnable displaced = (Runnable) LIFO.getAndSet(this, task);
        if (displaced != null) {
            // Two wake-ups in one turn: the older one waits in the local queue, where a sibling may steal it.
            pushLocal(displaced);
            pool.idle.notifyOne();
        }
    }

    /**
     * Back of the local queue, never the LIFO slot: a yield or a park that raced with its unpark (re-submitted by this
     * carrier after unmount), or a wake-up of a lane that opted out of the slot.
     */
    void pushTail(Runnable task) {
        pushLocal(task);
        if (local.size() > 1) {
            pool.idle.notifyOne(); // more than we can run at once: let a sibling steal
        }
    }

    private void pushLocal(Runnable task) {
        if (!local.relaxedOffer(task)) {
            spillHalf(task);
        }
    }

    /** The local queue is full: move half of it, and {@code task}, to the global queue (Tokio push_overflow). */
    private void spillHalf(Runnable task) {
        for (int i = 0; i < LOCAL_CAPACITY / 2; i++) {
            Runnable r = local.relaxedPoll();
            if (r == null) {
                break;
            }
            pool.global.offer(r);
        }
        pool.global.offer(task);
        pool.idle.notifyOne();
    }

    // ---- the run loop ----

    @Override
    public void run() {
        try {
            while (!pool.terminating()) {
                Runnable task = nextTask();
                if (task == null) {
                    task = steal();
                }
                if (task != null) {
                    if (searching) {
                        searching = false;
                        if (pool.idle.stopSearching()) {
                            pool.idle.notifyOne(); // the last searcher found work: there may be more, wake another
                        }
                    }
                    runTask(task);
                } else {
                    park();
                }
            }
        } finally {
            pool.workerExiting(this);
        }
    }

    private Runnable nextTask() {
        if (++tick % GLOBAL_POLL_INTERVAL == 0) {
            Runnable t = pool.global.relaxedPoll();
            if (t != null) {
                globalPolls++;
                lifoRuns = 0;
                return t;
            }
        }
        Runnable t = takeLifo();
        if (t != null) {
            return t;
        }
        t = local.relaxedPoll();
        if (t != null) {
            return t;
        }
        return pollGlobalBatch();
    }

    private Runnable takeLifo() {
        if (LIFO.getOpaque(this) == null) { // cheap check before the exchange
            lifoRuns = 0;
            return null;
        }
        Runnable t = (Runnable) LIFO.getAndSet(this, (Runnable) null);
        if (t == null) {
            lifoRuns = 0; // the stall monitor took it
            return null;
        }
        if (lifoRuns >= MAX_LIFO_RUNS && !local.isEmpty()) {
            // Starvation guard: the pair goes behind what is queued. With nothing queued locally there is nobody to
            // starve here (the global queue has its own turn every GLOBAL_POLL_INTERVAL ticks), so the slot keeps
            // its occupant and the hop avoids a queue round trip (measured: PingPongBenchmark).
            lifoRuns = 0;
            pushLocal(t);
            return null;
        }
        lifoRuns++;
        lifoHits++;
        return t;
    }

    /** Takes one continuation from the global queue and moves a fair share more into the local queue. */
    private Runnable pollGlobalBatch() {
        Runnable first = pool.global.relaxedPoll();
        if (first == null) {
            return null;
        }
        globalPolls++;
        lifoRuns = 0;
        int batch = Math.min(pool.global.size() / pool.workerCount() + 1, MAX_GLOBAL_BATCH);
        int moved = 0;
        for (; moved < batch - 1; moved++) {
            Runnable r = pool.global.relaxedPoll();
            if (r == null) {
                break;
            }
            if (!local.relaxedOffer(r)) {
                pool.global.offer(r);
                break;
            }
        }
        if (moved > 0) {
            pool.idle.notifyOne();
        }
        return first;
    }

    /** Steals half of a random sibling's local queue; at most half the workers search at once. */
    private Runnable steal() {
        if (!searching) {
            if (!pool.idle.tryStartSearching()) {
                return null;
            }
            searching = true;
        }
        Worker[] all = pool.workers();
        int n = all.length;
        int start = random.nextInt(n);
        for (int i = 0; i < n; i++) {
            Worker victim = all[(start + i) % n];
            if (victim == this) {
                continue;
            }
            Runnable t = stealHalfFrom(victim);
            if (t != null) {
                return t;
            }
        }
        return pollGlobalBatch();
    }

    private Runnable stealHalfFrom(Worker victim) {
        int available = victim.local.size();
        if (available == 0) {
            return null;
        }
        Runnable first = victim.local.relaxedPoll();
        if (first == null) {
            return null;
        }
        int take = available - available / 2;
        int taken = 1;
        for (; taken < take; taken++) {
            Runnable r = victim.local.relaxedPoll();
            if (r == null) {
                break;
            }
            pushLocal(r);
        }
        steals++;
        stolenTasks += taken;
        lifoRuns = 0;
        return first;
    }

    private void park() {
        pool.idle.prepareToPark(index, searching, anyStealableWork); // may wake this very worker
        searching = false;
        parks++;
        while (pool.idle.isSleeping(index) && !pool.terminating()) {
            LockSupport.park(pool.idle);
        }
        if (pool.idle.isSleeping(index)) { // terminating: leave the stack ourselves
            pool.idle.cancelSleep(index, false);
        } else {
            searching = !pool.terminating(); // a notifier woke us and counted us as a searcher
            if (!searching) {
                pool.idle.stopSearching();
            }
        }
    }

    // ---- for the pool: rescue, drain, stats ----

    /** True if this worker holds continuations that are not running (LIFO slot or local queue). */
    boolean hasQueuedWork() {
        return LIFO.getOpaque(this) != null || !local.isEmpty();
    }

    /** Moves everything queued here to {@code sink}; called by the stall monitor and at shutdown. Returns how many. */
    int drainTo(java.util.function.Consumer<Runnable> sink) {
        int n = 0;
        Runnable t = (Runnable) LIFO.getAndSet(this, (Runnable) null);
        if (t != null) {
            sink.accept(t);
            n++;
        }
        while ((t = local.relaxedPoll()) != null || !local.isEmpty()) {
            if (t != null) {
                sink.accept(t);
                n++;
            }
        }
        return n;
    }

    boolean lifoOccupied() {
        return LIFO.getOpaque(this) != null;
    }
}
