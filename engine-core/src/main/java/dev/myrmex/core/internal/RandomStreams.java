package dev.myrmex.core.internal;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * All of a runtime's chance, from its one seed ({@code AgentRuntime.Builder.randomSeed}): a stream per consumer.
 * Each stream's seed comes from the runtime's seed and the consumer alone, so that drawing more in one stream, or
 * adding a consumer, changes nothing another stream draws. With one seed, a run's chance repeats; under a
 * deterministic schedule (one carrier), so does the run.
 *
 * <p>Thread-safe: each stream is a {@link Random}, whose draws are atomic; which thread draws first is up to the
 * scheduler.
 */
public final class RandomStreams {
    /** Who draws. Append only: a consumer's place fixes its stream. */
    public enum Consumer {
        /** The scheduler's choice of whom to steal from (its seed). */
        SCHEDULER,
        /** The jitter of supervised restarts' backoff. */
        RESTART_BACKOFF,
        /** The jitter of failed tasks' retry backoff. */
        TASK_RETRY,
        /** Gossip's choice of peers (a seed for each gossip group, drawn from this stream). */
        GOSSIP,
        /** {@code AgentRuntime.random()}: what users draw. */
        USER
    }

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final long seed;
    private final Map<Consumer, Random> streams = new EnumMap<>(Consumer.class);

    public RandomStreams(long seed) {
        this.seed = seed;
        for (Consumer c : Consumer.values()) {
            streams.put(c, new Random(seedOf(c)));
        }
    }

    /** Streams from a seed drawn now, from the machine: a run that was not given a seed (its seed tells it after). */
    public static RandomStreams withDrawnSeed() {
        return new RandomStreams(new SplittableRandom().nextLong());
    }

    /** The runtime's seed: give it to {@code randomSeed} to draw the same again. */
    public long seed() {
        return seed;
    }

    /** {@code consumer}'s own seed: the runtime's, mixed with the consumer's place. */
    public long seedOf(Consumer consumer) {
        return new SplittableRandom(seed + (consumer.ordinal() + 1) * GOLDEN).nextLong();
    }

    /** {@code consumer}'s stream. */
    public RandomGenerator stream(Consumer consumer) {
        return streams.get(consumer);
    }
}
