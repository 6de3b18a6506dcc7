package dev.myrmex.core.coord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * The shard ring's promises: balance (the bound, over random shard names), minimal movement on add and
 * remove, and a mapping that depends only on names and keys (pinned, so that a change of hash or layout, which would
 * reshuffle every deployed ring, cannot pass unnoticed).
 */
class ShardRingTest {
    private static final int KEYS = 1_000_000;

    private static List<String> randomNames(Random random, int n) {
        List<String> names = new ArrayList<>();
        while (names.size() < n) {
            String name = "shard-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private static ShardRing<String> ringOf(List<String> names) {
        ShardRing<String> ring = ShardRing.create();
        names.forEach(n -> ring.add(n, n));
        return ring;
    }

    @Test
    void theMostLoadedOf16ShardsHoldsAtMost125TimesTheMeanOfAMillionKeys() {
        qt().withExamples(20).withShrinkCycles(0).forAll(longs().all()).checkAssert(seed -> {
            Random random = new Random(seed);
            List<String> names = randomNames(random, 16);
            ShardRing<String> ring = ringOf(names);
            Map<String, Integer> load = new HashMap<>();
            long keyBase = random.nextLong();
            for (int i = 0; i < KEYS; i++) {
                load.merge(ring.shardFor(keyBase + i), 1, Integer::sum);
            }
            double mean = KEYS / 16.0;
            int max = Collections.max(load.values());
            assertEquals(16, load.size(), "every shard owns keys");
            assertTrue(max <= 1.25 * mean, "most loaded " + max + " = " + max / mean + "x the mean, names " + names);
        });
    }

    @Test
    void addingAShardMovesOnlyKeysThatGoToItAboutOneInN() {
        qt().withExamples(20).withShrinkCycles(0)
                .forAll(integers().between(1, 40), longs().all())
                .checkAssert((n, seed) -> {
                    Random random = new Random(seed);
                    List<String> names = randomNames(random, n + 1);
                    String added = names.remove((int) n);
                    ShardRing<String> ring = ringOf(names);
                    int keys = 100_000;
                    String[] before = new String[keys];
                    for (int i = 0; i < keys; i++) {
                        before[i] = ring.shardFor("user-" + i);
                    }
                    ring.add(added, added);
                    int moved = 0;
                    for (int i = 0; i < keys; i++) {
                        String now = ring.shardFor("user-" + i);
                        if (!now.equals(before[i])) {
                            assertEquals(added, now, "key user-" + i + " moved between two old shards");
                            moved++;
                        }
                    }
                    double expected = (double) keys / (n + 1);
                    assertTrue(moved > 0.6 * expected && moved < 1.4 * expected,
                            "moved " + moved + ", expected about " + expected);
                    // and removing it again puts every key back where it was
                    assertTrue(ring.remove(added));
                    for (int i = 0; i < keys; i += 7) {
                        assertEquals(before[i], ring.shardFor("user-" + i));
                    }
                });
    }

    @Test
    void removingAShardMovesOnlyItsOwnKeys() {
        Random random = new Random(7);
        List<String> names = randomNames(random, 10);
        ShardRing<String> ring = ringOf(names);
        String[] before = new String[50_000];
        for (int i = 0; i < before.length; i++) {
            before[i] = ring.shardFor("order-" + i);
        }
        String gone = names.get(3);
        assertTrue(ring.remove(gone));
        assertFalse(ring.remove(gone));
        for (int i = 0; i < before.length; i++) {
            String now = ring.shardFor("order-" + i);
            if (!before[i].equals(gone)) {
                assertEquals(before[i], now, "a key of a remaining shard moved");
            } else {
                assertFalse(now.equals(gone));
            }
        }
    }

    @Test
    void theMappingDependsOnlyOnNamesAndKeysNotOnTheOrderShardsWereAdded() {
        List<String> names = new ArrayList<>(List.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta"));
        ShardRing<String> first = ringOf(names);
        Collections.shuffle(names, new Random(3));
        ShardRing<String> second = ringOf(names);
        for (int i = 0; i < 20_000; i++) {
            assertEquals(first.shardFor("k" + i), second.shardFor("k" + i));
        }
    }

    /**
     * Pinned: the same names and keys give these owners in every JVM, on every machine, in every version. If this
     * fails, the hash or the point layout changed, and every ring in the field would reshuffle its keys.
     */
    @Test
    void theMappingIsPinned() {
        ShardRing<String> ring = ringOf(List.of("analyzer-0", "analyzer-1", "analyzer-2", "analyzer-3"));
        assertEquals("analyzer-3", ring.shardFor("ACME"));
        assertEquals("analyzer-2", ring.shardFor("GLOBEX"));
        assertEquals("analyzer-0", ring.shardFor(42L));
        CRC32C digest = new CRC32C();
        for (int i = 0; i < 10_000; i++) {
            digest.update(ring.shardNameFor("symbol-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertEquals(2989287901L, digest.getValue(), "digest of 10,000 owners");
    }

    @Test
    void badInputIsRefusedByName() {
        IllegalArgumentException vnodes = assertThrows(IllegalArgumentException.class,
                () -> ShardRing.withVirtualNodes(0));
        assertTrue(vnodes.getMessage().contains("virtualNodes") && vnodes.getMessage().contains("0"));
        ShardRing<String> ring = ShardRing.create();
        IllegalStateException empty = assertThrows(IllegalStateException.class, () -> ring.shardFor("x"));
        assertTrue(empty.getMessage().contains("no shards"));
        ring.add("a", "a");
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> ring.add("a", "b"));
        assertTrue(twice.getMessage().contains("'a'"));
        assertThrows(IllegalArgumentException.class, () -> ring.add("", "b"));
        assertEquals("a", ring.shardFor("anything"), "one shard owns every key");
    }
}
