package dev.myrmex.core;

import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
 * effect. Every item sent is received exactly once, or is still in the channel. {@code null} is not an item.
 * State is guarded by one {@link ReentrantLock}, which parks a waiting virtual thread instead of pinning its
 * carrier; waiters of each kind are woken one per item (or per free slot), all of them on close.
 *
 * @param <T> the item type
 */
public final class Channel<T> implements AutoCloseable {
    private final Object[] items; // a ring: take at head, put at tail
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private int head; // guarded by lock
    private int count; // guarded by lock
    private boolean closed; // guarded by lock

    private Channel(int capacity) {
        this.items = new Object[capacity];
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
        lock.lockInterruptibly();
        try {
            while (!closed && count == items.length) {
                notFull.await();
            }
            ensureOpen();
            enqueue(item);
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
        lock.lock();
        try {
            ensureOpen();
            if (count == items.length) {
                return false;
            }
            enqueue(item);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Receives the oldest item, waiting while the channel is empty and open.
     *
     * @throws ChannelClosedException once the channel is closed and every item sent before has been received
     * @throws InterruptedException   if interrupted while waiting
     */
    public T receive() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (count == 0) {
                if (closed) {
                    throw drained();
                }
                notEmpty.await();
            }
            return dequeue();
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
        lock.lock();
        try {
            if (count == 0) {
                if (closed) {
                    throw drained();
                }
                return null;
            }
            return dequeue();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the channel: later sends throw, blocked senders wake and throw, and receivers get what is left, then a
     * {@link ChannelClosedException}. Idempotent.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True once {@link #close()} was called (items may still be waiting to be received). */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Items in the channel now. */
    public int size() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** The most items the channel holds. */
    public int capacity() {
        return items.length;
    }

    private void enqueue(T item) {
        int tail = head + count;
        items[tail < items.length ? tail : tail - items.length] = item;
        count++;
        notEmpty.signal();
    }

    private T dequeue() {
        @SuppressWarnings("unchecked")
        T item = (T) items[head];
        items[head] = null;
        head = head + 1 == items.length ? 0 : head + 1;
        count--;
        notFull.signal();
        return item;
    }

    private void ensureOpen() {
        if (closed) {
            throw new ChannelClosedException("channel is closed: it takes no more items");
        }
    }

    private static ChannelClosedException drained() {
        return new ChannelClosedException("channel is closed and every item sent before the close was received");
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "Channel[" + count + "/" + items.length + (closed ? ", closed]" : "]");
        } finally {
            lock.unlock();
        }
    }
}
