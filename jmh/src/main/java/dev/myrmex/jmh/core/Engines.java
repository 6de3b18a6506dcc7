package dev.myrmex.jmh.core;

import dev.myrmex.core.AgentRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.ActorSystem;

/**
 * What a benchmark of one {@link ActorKind} runs on, started in the trial's setup and closed in its teardown: a
 * Myrmex runtime, a Pekko actor system, or nothing but the plain actors it makes (which are stopped at the end).
 */
final class Engines implements AutoCloseable {
    private final AgentRuntime runtime;
    private final ActorSystem system;
    private final List<QueueActor<?>> queueActors = new ArrayList<>();

    private Engines(AgentRuntime runtime, ActorSystem system) {
        this.runtime = runtime;
        this.system = system;
    }

    /** Starts what {@code kind} needs; {@code name} names the Pekko system. */
    static Engines start(ActorKind kind, String name) {
        return switch (kind) {
            case MYRMEX, MYRMEX_HANDLER, MYRMEX_TURNS -> {
                AgentRuntime rt = AgentRuntime.builder().build();
                rt.start();
                yield new Engines(rt, null);
            }
            case PEKKO -> new Engines(null, ActorSystem.create(name));
            case VT_QUEUE -> new Engines(null, null);
        };
    }

    AgentRuntime myrmex() {
        return runtime;
    }

    ActorSystem pekko() {
        return system;
    }

    /** A plain actor, stopped by {@link #close()}. */
    <T> QueueActor<T> queueActor(BiConsumer<QueueActor<T>, T> handler) {
        QueueActor<T> q = new QueueActor<>(handler);
        queueActors.add(q);
        return q;
    }

    @Override
    public void close() {
        if (runtime != null) {
            runtime.close();
        }
        if (system != null) {
            PekkoSystems.terminate(system);
        }
        queueActors.forEach(QueueActor::stop);
    }
}
