package dev.myrmex.core.internal;

import dev.myrmex.core.spi.Endpoint;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The senders a {@link Mailbox} slows down: threads that wait (for room, or held back at the high watermark) and
 * non-blocking handlers that are muted; and, once the owner has failed, the failure its dead letters carry. Created by
 * the first sender that has to be slowed down (or by the close of a failed owner's mailbox), so that a mailbox that
 * never is carries none of this (memory per idle agent matters).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Waiting senders wait on {@link #changed} under {@link #lock}; {@link #waiting} and the counters are written
 *       under the lock and read without it.</li>
 *   <li>{@link #muted}: any sender adds itself (a handler muted by this mailbox); whoever releases the mailbox's
 *       pressure (its receiver after a drain, the closer, or a sender that finds the drain already done) takes each
 *       entry out exactly once ({@code poll} is atomic) and tells it.</li>
 * </ul>
 */
final class SenderGate {
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    volatile int waiting;
    volatile long holdBacks; // written under lock, read without
    volatile long holdBackTimeouts; // written under lock, read without
    final ConcurrentLinkedQueue<Endpoint.MutedSender> muted = new ConcurrentLinkedQueue<>();
    /** What the owner ended with, if it failed: written once before the mailbox's close, read only after seeing it. */
    Throwable closedBy;

    /**
     * Wakes every waiting sender. The signal is taken under the lock, so it cannot slip between a sender's last
     * look and its wait. A carrier never queues for the lock, though: a virtual thread sender may be queued
     * ahead of it and need a carrier to take the lock, and with every carrier queued the runtime stops. So
     * on a platform thread a taken lock hands the signal to a virtual thread of the JDK's own scheduler, which
     * may wait; the senders it wakes look again at the mailbox, which is already drained.
     */
    void wakeSenders() {
        if (Thread.currentThread().isVirtual()) {
            signalUnderLock();
        } else if (lock.tryLock()) {
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        } else {
            Thread.ofVirtual().name("myrmex-wake-senders").start(this::signalUnderLock);
        }
    }

    private void signalUnderLock() {
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
