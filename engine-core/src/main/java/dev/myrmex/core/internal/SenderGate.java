package dev.myrmex.core.internal;

import dev.myrmex.core.spi.Endpoint;
import dev.myrmex.sched.SpinLock;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The senders a {@link Mailbox} slows down: threads that wait (for room, or held back at the high watermark) and
 * non-blocking handlers that are muted; and, once the owner has failed, the failure its dead letters carry. Created by
 * the first sender that has to be slowed down (or by the close of a failed owner's mailbox), so that a mailbox that
 * never is carries none of this (memory per idle agent matters).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Waiting senders wait on {@link #changed} under {@link #lock}, the carrier-safe lock: whoever wakes them
 *       (the receiver after a drain, on a carrier or not; the closer) takes it only to signal, which never parks.
 *       {@link #waiting} and the counters are written under the lock and read without it.</li>
 *   <li>{@link #muted}: any sender adds itself (a handler muted by this mailbox); whoever releases the mailbox's
 *       pressure (its receiver after a drain, the closer, or a sender that finds the drain already done) takes each
 *       entry out exactly once ({@code poll} is atomic) and tells it.</li>
 * </ul>
 */
final class SenderGate {
    final SpinLock lock = new SpinLock();
    final SpinLock.Waiters changed = lock.newWaiters();
    volatile int waiting;
    volatile long holdBacks; // written under lock, read without
    volatile long holdBackTimeouts; // written under lock, read without
    final ConcurrentLinkedQueue<Endpoint.MutedSender> muted = new ConcurrentLinkedQueue<>();
    /** What the owner ended with, if it failed: written once before the mailbox's close, read only after seeing it. */
    Throwable closedBy;

    /**
     * Wakes every waiting sender. The signal is given under the lock, so it cannot slip between a sender's last look
     * and its wait; any thread may call this, a carrier too.
     */
    void wakeSenders() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Tells every muted sender that it may go on; each entry is taken, and told, once. */
    void unmuteAll() {
        Endpoint.MutedSender m;
        while ((m = muted.poll()) != null) {
            m.unmuted();
        }
    }
}
