package dev.myrmex.core.channel;

import dev.myrmex.sched.SpinLock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A bounded multi-producer, multi-consumer channel for virtual threads. {@link #send} blocks while the channel is
 * full and {@link #receive} while it is empty; both park only the calling virtual thread. {@link #trySend} and
 * {@link #tryReceive} never block. {@link #close()} stops sends at once; receivers still get everything sent before
 * the close, then a {@link ChannelClosedException}.
 *
 * <pre>{@code
 * Channel<String> jobs = Channel.bounded(64);
 * Thread worker = Thread.ofVirtual().start(() -> {
 *     try {
 *         while (true) process(jobs.receive());     // ends with ChannelClosedException once drained
 *     } catch (ChannelClosedException drained) {
 *         // done
 *     } catch (InterruptedException e) {
 *         Thread.currentThread().interrupt();
 *     }
 * });
 * jobs.send("first");
 * jobs.close();
 * }</pre>
 *
 * <h2>Contract</h2>
 * Any number of threads send and receive. Items leave in the order they entered, so the items of one sender arrive
 * in the order it sent them (per-sender FIFO); items of different senders interleave in the order their sends took
 * effect. Every item sent is received exactly once, or is still in the channel. The capacity is exact. {@code null}
 * is not an item.
 *
 * <h2>Concurrency</h2>
 * The items live in a ring of slots, each with a sequence number (D. Vyukov's bounded MPMC queue): a sender claims
 * position {@code p} with a CAS on {@link #tail} when the slot's sequence says it is free for {@code p}
 * ({@code 2p}), writes the item and publishes it ({@code 2p + 1}); a receiver claims it with a CAS on {@link #head}
 * and frees the slot for the next lap ({@code 2(p + capacity)}). Doubling keeps "published" and "free" apart even
 * for a capacity of 1, where Vyukov's {@code p + 1} and {@code p + capacity} would coincide. No lock on that path. The
 * close is a bit in {@link #tail}, so a send's claim and the close are ordered by the same CAS: a send either took
 * effect before the close or fails. Waiting uses a lock (the scheduler's {@link SpinLock}, so a sender or receiver on a
 * carrier that signals never parks) and two sets of waiters, only on the slow path: a waiter counts itself in
 * {@link #waitingReceivers} / {@link #waitingSenders} and looks again before it waits; the other side publishes (a
 * volatile store) and then reads the count, so one of the two always sees the other, and signals under the lock. A
 * receiver spins a little before it waits ({@link #RECEIVE_SPINS}).
 *
 * @param <T> the item type
 */
public final class Channel<T> implements AutoCloseable {
    private static final long CLOSED = 1L << 62;
    /**
     * Looks at an empty channel before a receiver parks (spin-wait hints in between; about 13 us in all on the 2-core
     * reference machine): a receiver that keeps up with its senders would otherwise park after every item and make
     * every send pay for a wake-up. Measured with ChannelEnqueueBenchmark, 2 forks: 0 spins 91 ns per send, 64 spins
     * 111 ns, 512 spins 43.8 ns. The price is a carrier held for that long when a receiver really goes idle.
     */
    private static final int RECEIVE_SPINS = 512;
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final VarHandle SEQUENCE = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle ITEM = MethodHandles.arrayElementVarHandle(Object[].class);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(Channel.class, "head", long.class);
            TAIL = l.findVarHandle(Channel.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] items;
    private final long[] sequences;
    private final int capacity;
    private final int mask; // capacity - 1 when the capacity is a power of two, else -1 (then: remainder)
    private volatile long head; // next position to receive
    private volatile long tail; // next position to send, with the CLOSED bit
    private volatile int waitingReceivers;
    private volatile int waitingSenders;
    private final SpinLock lock = new SpinLock(); // carriers signal under it: it never parks them
    private final SpinLock.Waiters notEmpty = lock.newWaiters();
    private final SpinLock.Waiters notFull = lock.newWaiters();

    private Channel(int capacity) {
        this.capacity = capacity;
        this.items = new Object[capacity];
        this.sequences = new long[capacity];
        for (int i = 0; i < capacity; i++) {
            sequences[i] = 2L * i; // free for position i
        }
        this.mask = Integer.bitCount(capacity) == 1 ? capacity - 1 : -1;
    }

    /**
     * A channel holding at most {@code capacity} items.
     *
     * @throws IllegalArgumentException if {@code capacity} is not positive
     */
    public static <T> Channel<T> bounded(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("channel capacity must be at least 1: " + capacity);
        }
        return new Channel<>(capacity);
    }

    /**
     * Sends {@code item}, waiting while the channel is full.
     *
     * @throws ChannelClosedException if the channel is closed, or closes while waiting (the item was not sent)
     * @throws InterruptedException   if interrupted while waiting (the item was not sent)
     */
    public void send(T item) throws InterruptedException {
        Objects.requireNonNull(item, "a channel does not carry null");
        if (offer(item, false)) {
            return;
        }
        lock.lock();
        try {
            waitingSenders++;
            VarHandle.fullFence(); // our count before our next look at the slots (the receivers' pair)
            try {
                while (!offer(item, true)) { // offer throws once the channel is closed
                    notFull.await();
                }
            } finally {
                waitingSenders--;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends {@code item} if there is room now.
     *
     * @return false if the channel is full
     * @throws ChannelClosedException if the channel is closed
     */
    public boolean trySend(T item) {
        Objects.requireNonNull(item, "a channel does not carry null");
        return offer(item, false);
    }

    /**
     * Receives the oldest item, waiting while the channel is empty and open.
     *
     * @throws ChannelClosedException once the channel is closed and every item sent before has been received
     * @throws InterruptedException   if interrupted while waiting
     */
    public T receive() throws InterruptedException {
        for (int spin = 0; spin < RECEIVE_SPINS; spin++) {
            T item = poll(false);
            if (item != null) {
                return item;
            }
            if (drained()) {
                throw drainedException();
            }
            Thread.onSpinWait();
        }
        T item;
        lock.lock();
        try {
            waitingReceivers++;
            VarHandle.fullFence(); // our count before our next look at the slots (the senders' pair)
            try {
                while ((item = poll(true)) == null) {
                    if (drained()) {
                        throw drainedException();
                    }
                    notEmpty.await();
                }
                return item;
            } finally {
                waitingReceivers--;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Receives the oldest item if there is one now.
     *
     * @return the item, or null if the channel is empty but open
     * @throws ChannelClosedException if the channel is closed and drained
     */
    public T tryReceive() {
        T item = poll(false);
        if (item == null && drained()) {
            throw drainedException();
        }
        return item;
    }

    /**
     * Closes the channel: later sends throw, blocked senders wake and throw, and receivers get what is left, then a
     * {@link ChannelClosedException}. Idempotent.
     */
    @Override
    public void close() {
        long t;
        do {
            t = tail;
        } while ((t & CLOSED) == 0 && !TAIL.compareAndSet(this, t, t | CLOSED));
        lock.lock();
        try {
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True once {@link #close()} was called (items may still be waiting to be received). */
    public boolean isClosed() {
        return (tail & CLOSED) != 0;
    }

    /** Items in the channel now (a snapshot: senders and receivers may be moving it). */
    public int size() {
        long h = head;
        long n = (tail & ~CLOSED) - h;
        return Math.clamp(n, 0, capacity);
    }

    /** The most items the channel holds. */
    public int capacity() {
        return capacity;
    }

    // ---- the ring ----

    private int slot(long position) {
        return mask >= 0 ? (int) position & mask : (int) (position % capacity);
    }

    /** Claims a free slot and publishes {@code item} in it; false if full. {@code locked}: the caller holds it. */
    private boolean offer(T item, boolean locked) {
        while (true) {
            long t = tail;
            if ((t & CLOSED) != 0) {
                throw new ChannelClosedException("channel is closed: it takes no more items");
            }
            int i = slot(t);
            long seq = (long) SEQUENCE.getAcquire(sequences, i);
            if (seq == 2 * t) {
                if (TAIL.compareAndSet(this, t, t + 1)) {
                    ITEM.set(items, i, item);
                    SEQUENCE.setVolatile(sequences, i, 2 * t + 1); // publish, then (ordered after it) look for waiters
                    if (waitingReceivers > 0) {
                        signal(notEmpty, locked);
                    }
                    return true;
                }
            } else if (seq < 2 * t) {
                return false; // the slot still holds the item of the previous lap: full
            }
            // else another sender claimed position t meanwhile: read tail again
        }
    }

    /** Claims the oldest published item; null if there is none now. {@code locked}: the caller holds it. */
    private T poll(boolean locked) {
        while (true) {
            long h = head;
            int i = slot(h);
            long seq = (long) SEQUENCE.getAcquire(sequences, i);
            if (seq == 2 * h + 1) {
                if (HEAD.compareAndSet(this, h, h + 1)) {
                    @SuppressWarnings("unchecked")
                    T item = (T) ITEM.get(items, i);
                    ITEM.set(items, i, null);
                    // free for the next lap, then look for waiters
                    SEQUENCE.setVolatile(sequences, i, 2 * (h + capacity));
                    if (waitingSenders > 0) {
                        signal(notFull, locked);
                    }
                    return item;
                }
            } else if (seq < 2 * h + 1) {
                return null; // not yet published for this lap: empty (or a send is mid-way; it will signal)
            }
            // else another receiver took position h meanwhile: read head again
        }
    }

    /** Closed, and every position claimed before the close has been received. */
    private boolean drained() {
        long t = tail;
        return (t & CLOSED) != 0 && head >= (t & ~CLOSED);
    }

    /** Wakes one waiter of {@code c}; {@code locked}: the caller holds the lock already (it is not reentrant). */
    private void signal(SpinLock.Waiters c, boolean locked) {
        if (locked) {
            c.signal();
            return;
        }
        lock.lock();
        try {
            c.signal();
        } finally {
            lock.unlock();
        }
    }

    private static ChannelClosedException drainedException() {
        return new ChannelClosedException("channel is closed and every item sent before the close was received");
    }

    @Override
    public String toString() {
        return "Channel[" + size() + "/" + capacity + (isClosed() ? ", closed]" : "]");
    }
}
