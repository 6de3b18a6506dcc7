package dev.myrmex.core.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one lock of a supervision tree, plus the actions to run once it is let go.
 *
 * <p>Every decision in a tree (a child went down, halted or ended; a restart is due) is made holding this lock, so a
 * supervisor sees its children's transitions one at a time and never deadlocks against a child: the order is always
 * tree lock, then a child's own monitor. Failures are rare, so one lock per tree costs nothing that matters.
 *
 * <p>A carrier thread never waits for this lock: the holder may be a virtual thread that needs a carrier to finish,
 * and with every carrier waiting the runtime would stop. Called on a carrier (a non-blocking handler's turn), {@link
 * #run} hands the body to a new virtual thread and returns at once.
 *
 * <p>Effects that run user code or wake other threads (an agent's end: its dead letters, completion callbacks and
 * hooks) are queued with {@link #later} and run by the outermost holder after it unlocks, in the order queued. An
 * action that fails is logged and the next one still runs.
 */
public final class TreeLock {
    private static final Logger LOG = LoggerFactory.getLogger(TreeLock.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Runnable> deferred = new ArrayDeque<>(); // guarded by lock
    private final Thread.Builder.OfVirtual offCarrier;

    /** @param offCarrier makes the virtual threads that run bodies handed over by carrier threads */
    public TreeLock(Thread.Builder.OfVirtual offCarrier) {
        this.offCarrier = offCarrier;
    }

    /**
     * Runs {@code body} holding the lock; when this is the outermost hold, then runs the deferred actions. On a
     * carrier thread, does that later on a virtual thread instead.
     */
    public void run(Runnable body) {
        if (AgentCell.onCarrier()) {
            offCarrier.start(() -> run(body));
            return;
        }
        lock.lock();
        try {
            body.run();
        } finally {
            List<Runnable> todo = null;
            if (lock.getHoldCount() == 1 && !deferred.isEmpty()) {
                todo = new ArrayList<>(deferred);
                deferred.clear();
            }
            lock.unlock();
            if (todo != null) { // even when the body threw: what it queued must still happen
                runAll(todo);
            }
        }
    }

    private static void runAll(List<Runnable> actions) {
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                LOG.error("a supervision action failed; the tree carries on", e);
            }
        }
    }

    /**
     * Queues {@code action} to run after the outermost holder lets the lock go.
     *
     * @throws IllegalStateException if the calling thread does not hold the lock
     */
    public void later(Runnable action) {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("later() needs the tree lock");
        }
        deferred.add(action);
    }
}
