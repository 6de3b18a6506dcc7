package dev.myrmex.jmh.core;

import com.softwaremill.jox.Channel;
import java.util.function.BiConsumer;

/**
 * The {@link ActorKind#VT_JOX} baseline: a {@link PlainActor} whose inbox is a jox unlimited channel
 * ({@link Channel#newUnlimitedChannel()}, jox 1.0.1), the fastest plain peer issue 20 measured.
 *
 * @param <T> the messages it takes
 */
final class JoxActor<T> extends PlainActor<T> {
    private final Channel<Object> inbox = Channel.newUnlimitedChannel();

    /** Starts the actor; {@code handler} gets the actor itself (to stop it from inside) and each message. */
    JoxActor(BiConsumer<PlainActor<T>, T> handler) {
        start(handler);
    }

    @Override
    Object take() throws InterruptedException {
        return inbox.receive();
    }

    @Override
    void put(Object m) {
        try {
            inbox.send(m); // an unlimited channel takes it at once; jox declares the exception for all its kinds
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to a jox channel: the message was not sent", e);
        }
    }
}
