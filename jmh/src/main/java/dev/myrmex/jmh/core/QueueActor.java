package dev.myrmex.jmh.core;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;

/**
 * The plain-JDK baseline ({@link ActorKind#VT_QUEUE}): an actor is a virtual thread on the JDK's default scheduler
 * that takes messages from a {@link LinkedBlockingQueue} of its own and hands each to a handler.
 *
 * @param <T> the messages it takes
 */
final class QueueActor<T> {
    private static final Object STOP = new Object();

    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final Thread thread;

    /** Starts the actor; {@code handler} gets the actor itself (to stop it from inside) and each message. */
    @SuppressWarnings("unchecked")
    QueueActor(BiConsumer<QueueActor<T>, T> handler) {
        this.thread = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    Object m = inbox.take();
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

    void tell(T message) {
        inbox.add(message);
    }

    /** Makes the actor end after the messages queued before this call. */
    void stop() {
        inbox.add(STOP);
    }

    void join() throws InterruptedException {
        if (!thread.join(Duration.ofSeconds(60))) {
            throw new IllegalStateException("queue actor " + thread + " did not end");
        }
    }
}
