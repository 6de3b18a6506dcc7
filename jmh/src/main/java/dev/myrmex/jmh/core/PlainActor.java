package dev.myrmex.jmh.core;

import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * A plain-JDK baseline actor ({@link ActorKind#VT_QUEUE}, {@link ActorKind#VT_JOX}): a virtual thread on the JDK's
 * default scheduler that takes messages from an inbox of its own and hands each to a handler. The subclasses differ
 * only in the inbox, which each holds directly (no wrapper), so the idle-heap figure is the thread's and the inbox's.
 *
 * <p>Contract: any thread may {@link #tell} and {@link #stop}; the inbox is multi-producer, and only the actor's own
 * thread takes from it. Messages from one sender are handled in the order they were sent, one at a time, on the
 * actor's thread; {@link #stop} ends the actor after the messages queued before it.
 *
 * @param <T> the messages it takes
 */
abstract sealed class PlainActor<T> permits QueueActor, JoxActor {
    /** The end-of-mail marker {@link #stop} queues; never a message of type {@code T}. */
    private static final Object STOP = new Object();

    // Written once, in start(), by the thread that builds the actor; read by join() on a thread the actor was
    // handed to safely (a list, a JMH state), so it sees the written value.
    private Thread thread;

    /** Takes the next message or {@link #STOP}, blocking while the inbox is empty. Only the actor's thread calls it. */
    abstract Object take() throws InterruptedException;

    /** Queues {@code m} without blocking (the inboxes are unbounded). Any thread. */
    abstract void put(Object m);

    /**
     * Starts the actor's thread; a subclass calls it at the end of its constructor, once its inbox is assigned
     * ({@link Thread#start} publishes it to the new thread). {@code handler} gets the actor (to stop it from inside)
     * and each message.
     */
    @SuppressWarnings("unchecked")
    final void start(BiConsumer<PlainActor<T>, T> handler) {
        thread = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    Object m = take();
                    if (m == STOP) {
                        return;
                    }
                    handler.accept(this, (T) m);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    final void tell(T message) {
        put(message);
    }

    /** Makes the actor end after the messages queued before this call. */
    final void stop() {
        put(STOP);
    }

    final void join() throws InterruptedException {
        if (!thread.join(Duration.ofSeconds(60))) {
            throw new IllegalStateException("plain actor " + thread + " did not end");
        }
    }
}
