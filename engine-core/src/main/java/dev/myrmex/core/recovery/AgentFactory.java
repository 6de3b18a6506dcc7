package dev.myrmex.core.recovery;

import dev.myrmex.core.Behavior;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.core.codec.ValueCodec;

/**
 * Makes a recoverable agent: new, or from its last checkpoint. Register it under a name with
 * {@code AgentRuntime.Builder.factory(name, factory)}, spawn with {@code AgentRuntime.spawn(agentName, factory)}; a
 * runtime started on a journal with history brings back, through the factory registered under the same name, every
 * agent that was running when the last one stopped or died.
 *
 * <pre>{@code
 * AgentFactory<Add, Long> counters = AgentFactory.of(ValueCodec.int64("counter-v1"),
 *         (name, restored) -> Behaviors.nonBlocking(new Counter(restored)));
 * AgentRuntime rt = AgentRuntime.builder().journal(ChronicleJournal.open(dir)).factory("counter", counters).build();
 * rt.start();                                   // recovers; rt.recovery() says what came back
 * if (rt.lookup("c1").isEmpty()) {
 *     rt.spawn("c1", counters);                 // the first time only
 * }
 * }</pre>
 *
 * @param <M> the messages its agents take
 * @param <S> their checkpointed state
 */
public interface AgentFactory<M extends Sendable, S> {
    /** How the agents' state is encoded in checkpoints. */
    ValueCodec<S> codec();

    /**
     * A behavior for agent {@code name}: new when {@code state} is null, else carrying on from it. The behavior (or
     * the handler of a {@code Behaviors.receive}/{@code nonBlocking} behavior) must implement
     * {@link Checkpointable}{@code <S>}. Throwing leaves a recovering agent unrecovered, with the exception in the
     * report.
     */
    Behavior<M> create(String name, S state) throws Exception;

    /** The options its agents are spawned with: on recovery too. */
    default SpawnOptions options() {
        return SpawnOptions.DEFAULTS;
    }

    /** Makes behaviors: see {@link #create}. */
    @FunctionalInterface
    interface Maker<M extends Sendable, S> {
        Behavior<M> create(String name, S state) throws Exception;
    }

    /** A factory from a codec and a maker, spawning with the default options. */
    static <M extends Sendable, S> AgentFactory<M, S> of(ValueCodec<S> codec, Maker<M, S> maker) {
        return of(codec, maker, SpawnOptions.DEFAULTS);
    }

    /** A factory from a codec, a maker and spawn options. */
    static <M extends Sendable, S> AgentFactory<M, S> of(ValueCodec<S> codec, Maker<M, S> maker,
                                                          SpawnOptions options) {
        java.util.Objects.requireNonNull(codec, "codec");
        java.util.Objects.requireNonNull(maker, "maker");
        java.util.Objects.requireNonNull(options, "options");
        return new AgentFactory<>() {
            @Override
            public ValueCodec<S> codec() {
                return codec;
            }

            @Override
            public Behavior<M> create(String name, S state) throws Exception {
                return maker.create(name, state);
            }

            @Override
            public SpawnOptions options() {
                return options;
            }
        };
    }
}
