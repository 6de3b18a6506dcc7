package dev.myrmex.core.internal;

import dev.myrmex.core.time.RuntimeClock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Enqueue times for messages, read through the runtime's clock without paying a clock read per message (25 to 46 ns
 * on the 2-core VMs we measure on, more than a whole send at the rates we aim for).
 *
 * <h2>What a stamp is</h2>
 * A clock reading the sending thread took at most {@link #TICK_NANOS} (1 ms, plus however late the OS runs the
 * ticker thread) before the send, and never after it: a stamp may make a message look older than it is, never
 * younger. Each sending thread keeps its last reading and reuses it for a number of sends that adapts to how fast the
 * thread sends: a thread whose reused readings were older than {@link #TARGET_AGE_NANOS} (about a microsecond) reads
 * the clock again sooner, down to every send; one that sends in bursts reads it once per {@link #MAX_REUSE} sends.
 * So a thread sending a few messages a millisecond stamps each exactly, and a flood costs a clock read per 64
 * messages. On top of that a ticker thread starts a new <em>epoch</em> every {@link #TICK_NANOS}, and a reading from an
 * older epoch is never reused: this bounds the age of a stamp after a pause, when the reuse count says nothing.
 *
 * <p>A runtime stamps with its own clock, as it times everything. Readings of a clock that jumps (moved by hand or by
 * a simulation) must not be reused, since one could be any age: the runtime passes {@code reuseReadings} false for
 * any clock but the machine's ({@link RuntimeClock#system()}), and every stamp is then a read.
 * {@code MessageStampsTest} proves the bounds: never after the send, a new read in every epoch, exact for slow
 * senders, a read per {@value #MAX_REUSE} sends in a flood.
 *
 * <h2>Concurrency</h2>
 * <ul>
 *   <li>Readings are per thread: a platform thread (a carrier running handler turns, or any outside thread) keeps
 *       them in a thread-local {@link Reading}; a direct-style agent's virtual thread in its context (a
 *       {@code Reading} too, used only by that thread). Other virtual threads read the clock on every send: a
 *       thread-local would cost each of them a map.</li>
 *   <li>{@link #epoch} is written by the ticker only, read by every sender (volatile). The ticker stops when no
 *       reading was reused during a whole tick ({@link #reused} is set by senders, cleared by the ticker); it ends
 *       the epoch as it stops and clears {@link #ticking}, and a sender that finds it stopped reads the clock and
 *       wakes it. Since every reading taken before the stop belongs to an ended epoch, none is reused after it.</li>
 * </ul>
 */
public final class MessageStamps implements AutoCloseable {
    /** How often a new epoch begins: the bound on a stamp's age. */
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** A reused reading older than this when the clock is read again makes the next reuse run shorter. */
    static final long TARGET_AGE_NANOS = 1_000;
    /** The most sends one reading serves. */
    static final int MAX_REUSE = 64;

    private final RuntimeClock clock;
    private final boolean reuseReadings;
    private final ThreadLocal<Reading> perPlatformThread = ThreadLocal.withInitial(Reading::new);
    private final Thread ticker;
    private volatile int epoch;
    private volatile boolean ticking;
    private volatile boolean reused;
    private volatile boolean closed;

    /** One thread's last clock reading and how many more sends may reuse it. Used by its thread only. */
    public static final class Reading {
        long nanos;
        int epoch = -1;
        int left;
        int reuse = 1; // sends per reading: adapts between 1 and MAX_REUSE
    }

    /**
     * @param reuseReadings whether a reading may serve more than one send: true only for a clock that moves with real
     *                      time, never for one moved by hand
     */
    public MessageStamps(RuntimeClock clock, boolean reuseReadings, String runtimeName) {
        this.clock = clock;
        this.reuseReadings = reuseReadings;
        this.ticker = Thread.ofPlatform().daemon().name(runtimeName + "-stamp-ticker").unstarted(this::tick);
    }

    /** Starts the ticker (when readings are reused); until then, and after {@link #close}, every stamp is a read. */
    public void start() {
        if (reuseReadings) {
            ticking = true;
            ticker.start();
        }
    }

    /** The runtime clock's time, now. */
    public long now() {
        return clock.nanoTime();
    }

    /** The enqueue stamp for a message sent now by the calling thread; {@code own}: its reading, if it keeps one. */
    public long stamp(Reading own) {
        Reading r = own;
        if (!reuseReadings) {
            return clock.nanoTime();
        }
        if (r == null) {
            if (Thread.currentThread().isVirtual()) {
                return clock.nanoTime();
            }
            r = perPlatformThread.get();
        }
        if (!ticking) {
            return wakeTicker(r);
        }
        int e = epoch;
        if (r.left > 0 && r.epoch == e) {
            r.left--;
            if (!reused) {
                reused = true;
            }
            return r.nanos;
        }
        long now = clock.nanoTime();
        if (r.epoch == e) { // the reuse run ended within one epoch: was it short enough?
            r.reuse = now - r.nanos > TARGET_AGE_NANOS ? Math.max(1, r.reuse >> 1) : Math.min(MAX_REUSE, r.reuse << 1);
        }
        r.nanos = now;
        r.epoch = e;
        r.left = r.reuse - 1;
        return now;
    }

    private long wakeTicker(Reading r) {
        r.epoch = -1;
        if (!closed && !ticking && ticker.isAlive()) {
            ticking = true;
            LockSupport.unpark(ticker);
        }
        return clock.nanoTime();
    }

    private void tick() {
        while (!closed) {
            LockSupport.parkNanos(this, TICK_NANOS);
            if (reused) {
                reused = false;
                epoch++;
                continue;
            }
            epoch++; // ends the epoch of every reading taken so far: none is reused while we sleep
            ticking = false;
            while (!ticking && !closed) {
                LockSupport.park(this);
            }
        }
    }

    /** The current epoch: for tests, which wait for the ticker to start a new one. */
    int epoch() {
        return epoch;
    }

    /** Whether the ticker is running (it stops when no reading was reused for a tick): for tests. */
    boolean ticking() {
        return ticking;
    }

    @Override
    public void close() {
        closed = true;
        ticking = false;
        epoch++;
        LockSupport.unpark(ticker);
    }
}
