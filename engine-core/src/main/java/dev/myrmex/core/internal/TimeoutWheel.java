package dev.myrmex.core.internal;

import dev.myrmex.core.time.RuntimeClock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Timeouts for many short-lived waits (every {@code ask} has one): a hashed timing wheel after Varghese and Lauck, as
 * in Netty's {@code HashedWheelTimer}. Scheduling and cancelling are each one queue offer, with no lock and no
 * wake-up of the timer thread while it is ticking; a timeout fires up to one tick ({@link #TICK}) late, never early.
 * Deadlines are read on the {@link RuntimeClock} given: with one moved by hand, what falls due fires within a tick
 * of real time after the move.
 *
 * <h2>Concurrency</h2>
 * <ul>
 *   <li>Producers (any thread) call {@link #schedule} and {@link Timeout#cancel}: each offers to an MPSC queue
 *       ({@link #pending}, {@link #cancelled}). The state of a timeout moves once, by CAS, from ACTIVE to FIRED or
 *       CANCELLED, so a timeout either fires or is cancelled, never both.</li>
 *   <li>The consumer is the one ticker thread: it alone touches the buckets (plain doubly-linked lists). Every tick
 *       it unlinks cancelled timeouts (so their memory goes at once, not at their deadline), files pending ones, and
 *       fires the due ones of the current bucket, on its own thread: tasks must be short.</li>
 *   <li>With nothing scheduled the ticker parks. It sets {@link #sleeping} (volatile), then looks at {@link #pending}
 *       again; a producer offers, then reads {@link #sleeping} and unparks it: one of the two sees the other.</li>
 *   <li>Close: {@link #close} sets {@link #closed}; the ticker, as it stops, abandons every {@link Abandonable}
 *       timeout still ACTIVE in the buckets and in {@link #pending} (ACTIVE to CANCELLED by CAS, then it is told). A
 *       producer offers, then reads {@link #closed} and, if set, abandons its own timeout: the same pair as the
 *       sleep, so a timeout scheduled as the wheel closes is abandoned by one of the two, and the CAS makes it
 *       once.</li>
 * </ul>
 */
public final class TimeoutWheel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TimeoutWheel.class);
    /** Granularity: a timeout fires within one tick after its deadline. */
    static final long TICK = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int BUCKETS = 512; // a power of two; longer delays take several laps
    private static final int ACTIVE = 0;
    private static final int FIRED = 1;
    private static final int CANCELLED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Timeout.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MpscUnboundedXaddArrayQueue<Timeout> pending = new MpscUnboundedXaddArrayQueue<>(256);
    private final MpscUnboundedXaddArrayQueue<Timeout> cancelled = new MpscUnboundedXaddArrayQueue<>(256);
    private final Timeout[] heads = new Timeout[BUCKETS]; // ticker only
    private final Thread ticker;
    private final RuntimeClock clock;
    private final long origin;
    private long tick; // ticker only: ticks done
    private volatile int filed; // written by the ticker only: timeouts in the buckets
    private volatile boolean sleeping;
    private volatile boolean closed;

    /**
     * A task that wants to know if the wheel closes before it fires (an ask, whose waiter must not wait for ever):
     * {@link #abandoned} is called instead of {@code run}, once, on the ticker thread as it stops, or on the thread
     * that scheduled it if that raced the close.
     */
    public interface Abandonable extends Runnable {
        /** The wheel closed first: this task will never run. Keep it short; it must not throw. */
        void abandoned();
    }

    /** One scheduled task; {@link #cancel} it when it is no longer needed. */
    public final class Timeout {
        private final Runnable task;
        private final long deadline;
        @SuppressWarnings("unused") // through STATE
        private volatile int state;
        private Timeout prev; // ticker only, with next, rounds and bucket
        private Timeout next;
        private long rounds;
        private int bucket = -1;

        private Timeout(Runnable task, long deadline) {
            this.task = task;
            this.deadline = deadline;
        }

        /** Cancels it unless it fired already; returns true if this call cancelled it. Any thread. */
        public boolean cancel() {
            if (!STATE.compareAndSet(this, ACTIVE, CANCELLED)) {
                return false;
            }
            cancelled.offer(this); // the ticker unlinks it at its next tick
            return true;
        }
    }

    /** Starts the ticker on the machine's clock: {@link #TimeoutWheel(String, RuntimeClock)}. */
    public TimeoutWheel(String name) {
        this(name, RuntimeClock.system());
    }

    /**
     * Starts the ticker, a daemon platform thread named {@code name}, that reads deadlines on {@code clock}. It
     * looks at the clock at least once a tick while a timeout is filed, so a clock moved by hand fires what fell due
     * within about a tick of real time.
     */
    public TimeoutWheel(String name, RuntimeClock clock) {
        this.clock = clock;
        this.origin = clock.nanoTime();
        this.ticker = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
        ticker.start();
    }

    /**
     * Runs {@code task} on the ticker thread once {@code delay} has passed (up to one tick later), unless cancelled.
     * If the wheel closes first, a task that is {@link Abandonable} is told so instead.
     *
     * @throws IllegalStateException if the wheel is closed
     */
    public Timeout schedule(Runnable task, Duration delay) {
        if (closed) {
            throw new IllegalStateException("the timeout wheel is closed");
        }
        Timeout t = new Timeout(task, clock.nanoTime() + Math.max(0, delay.toNanos()));
        pending.offer(t);
        if (closed) {
            // The close pair, as with sleeping: we offer, then read closed; the closer writes closed, then the ticker
            // drains pending. One of us sees the other; abandon() settles it once either way.
            abandon(t);
        } else if (sleeping) {
            LockSupport.unpark(ticker);
        }
        return t;
    }

    /** Stops the ticker; timeouts not yet fired never fire: their {@link Abandonable} tasks are told instead. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(ticker);
    }

    /** Timeouts filed and not yet fired or cancelled, as last counted by the ticker (racy: for tests and metrics). */
    int size() {
        return filed;
    }

    /** True while the ticker is parked for lack of timeouts (for tests). */
    boolean isIdle() {
        return sleeping;
    }

    private void run() {
        try {
            turn();
        } finally {
            abandonAll();
        }
    }

    private void turn() {
        long next = origin + TICK; // the end of the current tick
        while (!closed) {
            long now = clock.nanoTime();
            if (now - next < 0) {
                if (filed == 0 && pending.isEmpty() && cancelled.isEmpty()) {
                    idle();
                    now = clock.nanoTime();
                    tick = (now - origin) / TICK; // the wheel did not turn while nobody waited
                    next = origin + (tick + 1) * TICK;
                    continue;
                }
                // Within the tick: fire what is already due in it. A clock that moves in real time reaches the tick's
                // end within a tick anyway; one moved by hand may stop inside the tick, and must not stall what is due.
                unlinkCancelled();
                filePending();
                fireDueWithinTick(now);
                LockSupport.parkNanos(this, Math.min(next - now, TICK));
                continue;
            }
            next += TICK;
            unlinkCancelled();
            filePending();
            fireDue(now);
            tick++;
        }
    }

    /** The wheel is closed: every timeout still active is abandoned. Ticker only. */
    private void abandonAll() {
        for (int b = 0; b < BUCKETS; b++) {
            for (Timeout t = heads[b]; t != null; t = t.next) {
                abandon(t);
            }
        }
        Timeout t;
        while ((t = pending.poll()) != null) { // poll, not relaxedPoll: an offer in flight is waited for
            abandon(t);
        }
    }

    private static void abandon(Timeout t) {
        if (t.task instanceof Abandonable a && STATE.compareAndSet(t, ACTIVE, CANCELLED)) {
            try {
                a.abandoned();
            } catch (RuntimeException | Error e) {
                LOG.error("an abandoned timeout task failed", e);
            }
        }
    }

    private void idle() {
        sleeping = true;
        try {
            while (!closed && pending.isEmpty()) {
                LockSupport.park(this); // the producers' offer-then-read-sleeping pairs with this read
            }
        } finally {
            sleeping = false;
        }
    }

    private void unlinkCancelled() {
        Timeout t;
        while ((t = cancelled.relaxedPoll()) != null) {
            if (t.bucket >= 0) {
                unlink(t);
            }
            // else still in pending: filePending skips it (its state is CANCELLED)
        }
    }

    private void filePending() {
        Timeout t;
        while ((t = pending.relaxedPoll()) != null) {
            if ((int) STATE.getAcquire(t) != ACTIVE) {
                continue;
            }
            // The tick the deadline falls in: fired within it once due (fireDueWithinTick), or at its end.
            long dueTick = Math.max(tick, (t.deadline - origin) / TICK);
            t.rounds = (dueTick - tick) / BUCKETS;
            t.bucket = (int) (dueTick & (BUCKETS - 1));
            t.next = heads[t.bucket];
            if (t.next != null) {
                t.next.prev = t;
            }
            heads[t.bucket] = t;
            filed++;
        }
    }

    private void fireDue(long now) {
        Timeout t = heads[(int) (tick & (BUCKETS - 1))];
        while (t != null) {
            Timeout following = t.next;
            if (t.rounds > 0) {
                t.rounds--;
            } else if (t.deadline - now <= 0) {
                unlink(t);
                fire(t);
            }
            t = following;
        }
    }

    /** Fires the current bucket's timeouts of this lap that are due by {@code now}; laps are counted by fireDue. */
    private void fireDueWithinTick(long now) {
        Timeout t = heads[(int) (tick & (BUCKETS - 1))];
        while (t != null) {
            Timeout following = t.next;
            if (t.rounds == 0 && t.deadline - now <= 0) {
                unlink(t);
                fire(t);
            }
            t = following;
        }
    }

    private static void fire(Timeout t) {
        if (STATE.compareAndSet(t, ACTIVE, FIRED)) {
            try {
                t.task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("a timeout task failed", e);
            }
        }
    }

    private void unlink(Timeout t) {
        if (t.prev != null) {
            t.prev.next = t.next;
        } else {
            heads[t.bucket] = t.next;
        }
        if (t.next != null) {
            t.next.prev = t.prev;
        }
        t.prev = null;
        t.next = null;
        t.bucket = -1;
        filed--;
    }
}
