package dev.myrmex.jmh.core;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;

/**
 * The {@link ActorKind#VT_QUEUE} baseline: a {@link PlainActor} whose inbox is a {@link LinkedBlockingQueue}.
 *
 * @param <T> the messages it takes
 */
final class QueueActor<T> extends PlainActor<T> {
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();

    /** Starts the actor; {@code handler} gets the actor itself (to stop it from inside) and each message. */
    QueueActor(BiConsumer<PlainActor<T>, T> handler) {
        start(handler);
    }

    @Override
    Object take() throws InterruptedException {
        return inbox.take();
    }

    @Override
    void put(Object m) {
        inbox.add(m);
    }
}
