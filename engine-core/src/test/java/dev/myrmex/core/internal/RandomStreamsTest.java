package dev.myrmex.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.internal.RandomStreams.Consumer;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * One seed: the same seed gives every consumer the same draws; a consumer's draws do not depend on how much another
 * drew; consumers do not share a stream; and a runtime built with a seed draws, and tells, exactly that.
 */
class RandomStreamsTest {
    private static List<Long> draws(RandomGenerator g, int n) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(g.nextLong());
        }
        return out;
    }

    @Test
    void aConsumersDrawsDependOnTheSeedAndTheConsumerAlone() {
        qt().withExamples(200).forAll(longs().all(), integers().between(0, 50)).checkAssert((seed, drawnByOthers) -> {
            RandomStreams quiet = new RandomStreams(seed);
            RandomStreams busy = new RandomStreams(seed);
            for (Consumer c : Consumer.values()) {
                if (c != Consumer.TASK_RETRY) {
                    draws(busy.stream(c), drawnByOthers); // other consumers draw first, as much as they like
                }
            }
            assertEquals(draws(quiet.stream(Consumer.TASK_RETRY), 8), draws(busy.stream(Consumer.TASK_RETRY), 8));
            assertEquals(quiet.seedOf(Consumer.SCHEDULER), busy.seedOf(Consumer.SCHEDULER));
        });
    }

    @Test
    void consumersHaveStreamsOfTheirOwn() {
        RandomStreams r = new RandomStreams(42);
        assertNotEquals(draws(r.stream(Consumer.RESTART_BACKOFF), 4), draws(r.stream(Consumer.TASK_RETRY), 4));
        assertNotEquals(r.seedOf(Consumer.GOSSIP), r.seedOf(Consumer.USER));
    }

    @Test
    void aRuntimeBuiltWithASeedDrawsTheSameAndTellsItsSeed() {
        try (AgentRuntime a = AgentRuntime.builder().workers(1).randomSeed(7).build();
             AgentRuntime b = AgentRuntime.builder().workers(1).randomSeed(7).build()) {
            assertEquals(7, a.randomSeed());
            assertEquals(draws(a.random(), 8), draws(b.random(), 8));
        }
        try (AgentRuntime unseeded = AgentRuntime.builder().workers(1).build()) {
            long seed = unseeded.randomSeed();
            try (AgentRuntime replay = AgentRuntime.builder().workers(1).randomSeed(seed).build()) {
                assertEquals(draws(unseeded.random(), 8), draws(replay.random(), 8), "the told seed replays");
            }
        }
    }
}
