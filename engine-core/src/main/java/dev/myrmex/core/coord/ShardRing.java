package dev.myrmex.core.coord;

import dev.myrmex.sched.SpinLock;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Consistent hashing with virtual nodes: which shard owns a key, such that adding a shard moves only the keys it
 * takes (about 1/n of them) and removing one moves only its own.
 *
 * <pre>{@code
 * ShardRing<AgentRef<Quote>> analyzers = ShardRing.create();
 * for (int i = 0; i < 8; i++) {
 *     analyzers.add("analyzer-" + i, rt.spawn("analyzer-" + i, analyzerBehavior()).ref());
 * }
 * analyzers.shardFor(quote.symbol()).signal(quote);   // one symbol, always the same analyzer
 * }</pre>
 *
 * <h2>How keys are placed</h2>
 * Each shard owns {@link #virtualNodes()} points on a 64-bit ring, and the points depend on the shard's name only, so
 * the other shards' points never move. A key is hashed once into two 64-bit probes; each probe's owner is the first
 * point at or after it (wrapping around), and the key goes to the owner of the nearer one. Two probes instead of one
 * bring the most loaded of 16 shards from up to 1.39x the mean down to at most about 1.2x with 128 virtual nodes
 * (multi-probe consistent hashing, Appleton and O'Reilly 2015; the spike is in docs/notes/shard-balance.md).
 *
 * <h2>Stable in every JVM</h2>
 * The hash is MurmurHash3 x64 128-bit, seed 0, over bytes: a key's UTF-8 (a {@code long} key: its 8 little-endian
 * bytes); a shard's point {@code i}: its name's UTF-8 followed by {@code i} as 4 big-endian bytes, first 64 bits. The
 * mapping depends on nothing else (not {@code hashCode}, not the order shards were added), so every process, on any
 * JVM, maps a key to the same shard; {@code ShardRingTest} pins it.
 *
 * <h2>Concurrency</h2>
 * Lookups are lock-free from any thread: they read one immutable snapshot through a volatile field. {@link #add} and
 * {@link #remove} build a new snapshot under a {@link SpinLock} (they are rare) and publish it; a lookup sees the ring
 * before or after a change, never half of it.
 *
 * @param <S> what a shard is: an agent reference, a connection, a name
 */
public final class ShardRing<S> {
    /** The default number of points per shard. */
    public static final int DEFAULT_VIRTUAL_NODES = 128;

    private final int virtualNodes;
    private final SpinLock writeLock = new SpinLock(); // writers may be agents on the carriers
    private volatile Snapshot<S> snapshot = Snapshot.empty();

    private ShardRing(int virtualNodes) {
        this.virtualNodes = virtualNodes;
    }

    /** A ring with {@value #DEFAULT_VIRTUAL_NODES} virtual nodes per shard. */
    public static <S> ShardRing<S> create() {
        return new ShardRing<>(DEFAULT_VIRTUAL_NODES);
    }

    /**
     * A ring with {@code virtualNodes} points per shard.
     *
     * @throws IllegalArgumentException if {@code virtualNodes} is below 1 or above 65,536
     */
    public static <S> ShardRing<S> withVirtualNodes(int virtualNodes) {
        if (virtualNodes < 1 || virtualNodes > 65_536) {
            throw new IllegalArgumentException("virtualNodes must be between 1 and 65536: " + virtualNodes);
        }
        return new ShardRing<>(virtualNodes);
    }

    /** Points per shard. */
    public int virtualNodes() {
        return virtualNodes;
    }

    /**
     * Adds a shard under {@code name}, which alone decides where its points lie.
     *
     * @throws IllegalArgumentException if a shard of that name is on the ring, or the name is empty
     */
    public void add(String name, S shard) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shard, "shard");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a shard name must not be empty");
        }
        writeLock.lock();
        try {
            Snapshot<S> s = snapshot;
            if (s.shards.containsKey(name)) {
                throw new IllegalArgumentException("a shard named '" + name + "' is on the ring already");
            }
            Map<String, S> shards = new LinkedHashMap<>(s.shards);
            shards.put(name, shard);
            snapshot = Snapshot.of(shards, virtualNodes);
        } finally {
            writeLock.unlock();
        }
    }

    /** Removes the shard named {@code name}; its keys go to the shards that own the next points. */
    public boolean remove(String name) {
        Objects.requireNonNull(name, "name");
        writeLock.lock();
        try {
            Snapshot<S> s = snapshot;
            if (!s.shards.containsKey(name)) {
                return false;
            }
            Map<String, S> shards = new LinkedHashMap<>(s.shards);
            shards.remove(name);
            snapshot = Snapshot.of(shards, virtualNodes);
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    /** The shards by name, in the order they were added; a copy. */
    public Map<String, S> shards() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(snapshot.shards));
    }

    public int size() {
        return snapshot.shards.size();
    }

    /**
     * The shard that owns {@code key}.
     *
     * @throws IllegalStateException if the ring has no shards
     */
    public S shardFor(String key) {
        return shardFor(utf8(Objects.requireNonNull(key, "key")));
    }

    /** The shard that owns a {@code long} key (hashed as its 8 little-endian bytes). */
    public S shardFor(long key) {
        return shardFor(littleEndian(key));
    }

    /** The shard that owns the key made of {@code keyBytes}. */
    public S shardFor(byte[] keyBytes) {
        Snapshot<S> s = snapshot;
        return s.shardAt(s.owner(MurmurHash3.hash128x64(Objects.requireNonNull(keyBytes, "keyBytes"))));
    }

    /** The name of the shard that owns {@code key}. */
    public String shardNameFor(String key) {
        Snapshot<S> s = snapshot;
        return s.nameAt(s.owner(MurmurHash3.hash128x64(utf8(Objects.requireNonNull(key, "key")))));
    }

    @Override
    public String toString() {
        return "ShardRing[" + size() + " shards, " + virtualNodes + " virtual nodes each]";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] littleEndian(long v) {
        byte[] b = new byte[Long.BYTES];
        for (int i = 0; i < Long.BYTES; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    /** One immutable state of the ring: the points in ascending (signed) order and who owns each. */
    private static final class Snapshot<S> {
        final Map<String, S> shards;
        final long[] points;
        final int[] owners; // index into names / values, per point
        final String[] names;
        final Object[] values;

        private Snapshot(Map<String, S> shards, long[] points, int[] owners) {
            this.shards = shards;
            this.points = points;
            this.owners = owners;
            this.names = shards.keySet().toArray(new String[0]);
            this.values = shards.values().toArray();
        }

        static <S> Snapshot<S> empty() {
            return new Snapshot<>(Map.of(), new long[0], new int[0]);
        }

        static <S> Snapshot<S> of(Map<String, S> shards, int virtualNodes) {
            String[] names = shards.keySet().toArray(new String[0]);
            int n = names.length * virtualNodes;
            long[] raw = new long[n];
            int[] order = new int[n];
            for (int s = 0; s < names.length; s++) {
                byte[] name = utf8(names[s]);
                byte[] buf = Arrays.copyOf(name, name.length + Integer.BYTES);
                for (int i = 0; i < virtualNodes; i++) {
                    buf[name.length] = (byte) (i >>> 24);
                    buf[name.length + 1] = (byte) (i >>> 16);
                    buf[name.length + 2] = (byte) (i >>> 8);
                    buf[name.length + 3] = (byte) i;
                    raw[s * virtualNodes + i] = MurmurHash3.hash128x64(buf)[0];
                }
            }
            // sort by point, ties (never seen, but possible) by shard name: the order shards came in must not matter
            Integer[] idx = new Integer[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            Arrays.sort(idx, (a, b) -> {
                int c = Long.compare(raw[a], raw[b]);
                return c != 0 ? c : names[a / virtualNodes].compareTo(names[b / virtualNodes]);
            });
            long[] points = new long[n];
            for (int i = 0; i < n; i++) {
                points[i] = raw[idx[i]];
                order[i] = idx[i] / virtualNodes;
            }
            return new Snapshot<>(shards, points, order);
        }

        /** The index of the shard owning a key hashed to {@code probes} (two 64-bit halves). */
        int owner(long[] probes) {
            if (points.length == 0) {
                throw new IllegalStateException("the shard ring has no shards: add one first");
            }
            int a = successor(probes[0]);
            int b = successor(probes[1]);
            // distance from probe to its successor point, modulo 2^64: smaller unsigned distance wins
            long da = points[a] - probes[0];
            long db = points[b] - probes[1];
            return owners[Long.compareUnsigned(db, da) < 0 ? b : a];
        }

        /** The first point at or after {@code h}, wrapping to the first point. */
        private int successor(long h) {
            int i = Arrays.binarySearch(points, h);
            if (i < 0) {
                i = -i - 1;
            }
            return i == points.length ? 0 : i;
        }

        @SuppressWarnings("unchecked")
        S shardAt(int owner) {
            return (S) values[owner];
        }

        String nameAt(int owner) {
            return names[owner];
        }
    }
}
