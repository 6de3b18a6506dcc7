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
    private final ActorKind kind;
    private final List<PlainActor<?>> plainActors = new ArrayList<>();

    private Engines(ActorKind kind, AgentRuntime runtime, ActorSystem system) {
        this.kind = kind;
        this.runtime = runtime;
        this.system = system;
    }

    /** Starts what {@code kind} needs; {@code name} names the Pekko system. */
    static Engines start(ActorKind kind, String name) {
        return switch (kind) {
            case MYRMEX, MYRMEX_HANDLER, MYRMEX_TURNS -> {
                AgentRuntime rt = AgentRuntime.builder().build();
                rt.start();
                yield new Engines(kind, rt, null);
            }
            case PEKKO -> new Engines(kind, null, ActorSystem.create(name));
            case VT_QUEUE, VT_JOX -> new Engines(kind, null, null);
        };
    }

    AgentRuntime myrmex() {
        return runtime;
    }

    ActorSystem pekko() {
        return system;
    }

    /** A plain actor of this run's kind ({@link ActorKind#plainActor}), stopped by {@link #close()}. */
    <T> PlainActor<T> plainActor(BiConsumer<PlainActor<T>, T> handler) {
        PlainActor<T> q = kind.plainActor(handler);
        plainActors.add(q);
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
        plainActors.forEach(PlainActor::stop);
    }
}
