package dev.myrmex.jmh.core;

import dev.myrmex.core.Behavior;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.MessageHandler;
import dev.myrmex.core.Sendable;
import java.util.function.BiConsumer;

/**
 * The actor implementations an engine-core benchmark compares in one run (a JMH {@code @Param}):
 * <ul>
 *   <li>{@link #MYRMEX}: direct-style agents, a loop over {@code ctx.receive()} on a virtual thread each;</li>
 *   <li>{@link #MYRMEX_HANDLER}: handler agents whose turns run straight on the carriers
 *       ({@link Behaviors#nonBlocking});</li>
 *   <li>{@link #MYRMEX_TURNS}: handler agents whose turns each run on a new virtual thread
 *       ({@link Behaviors#receive});</li>
 *   <li>{@link #PEKKO}: Apache Pekko classic actors with default settings;</li>
 *   <li>{@link #VT_QUEUE}: plain JDK virtual threads with one {@link java.util.concurrent.LinkedBlockingQueue}
 *       each;</li>
 *   <li>{@link #VT_JOX}: plain JDK virtual threads with one jox unlimited channel each (jox 1.0.1).</li>
 * </ul>
 */
public enum ActorKind {
    MYRMEX, MYRMEX_HANDLER, MYRMEX_TURNS, PEKKO, VT_QUEUE, VT_JOX;

    /** True for the three Myrmex kinds. */
    boolean isMyrmex() {
        return this == MYRMEX || this == MYRMEX_HANDLER || this == MYRMEX_TURNS;
    }

    /**
     * Starts a plain actor of this kind ({@link #VT_QUEUE} or {@link #VT_JOX}) that hands each message to {@code
     * handler}.
     */
    <T> PlainActor<T> plainActor(BiConsumer<PlainActor<T>, T> handler) {
        return switch (this) {
            case VT_QUEUE -> new QueueActor<>(handler);
            case VT_JOX -> new JoxActor<>(handler);
            default -> throw new IllegalStateException(this + " is not a plain virtual-thread kind");
        };
    }

    /** A Myrmex behavior of this kind that calls {@code handler} for each message. */
    <M extends Sendable> Behavior<M> behavior(MessageHandler<M> handler) {
        return switch (this) {
            case MYRMEX -> ctx -> {
                while (true) {
                    handler.handle(ctx, ctx.receive());
                }
            };
            case MYRMEX_HANDLER -> Behaviors.nonBlocking(handler);
            case MYRMEX_TURNS -> Behaviors.receive(handler);
            default -> throw new IllegalStateException(this + " is not a Myrmex kind");
        };
    }
}
