package dev.myrmex.core.coord;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.Val;
import dev.myrmex.sched.SpinLock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Push gossip to a group of member agents: each member's relay, on first hearing a message, hands it to its member
 * and pushes it on to {@code fanout} peers chosen at random, until the round limit; relays drop what they have seen
 * (de-duplication by message id). When the rumour has died out, members it missed get the message directly (the
 * repair an anti-entropy pass would do), so every live member receives every broadcast exactly once, and the report
 * says how far gossip alone got.
 *
 * <pre>{@code
 * try (Gossip<Decision> gossip = Gossip.builder(rt, "decisions", nodeRefs).fanout(3).build()) {
 *     GossipReport report = gossip.broadcast(new Decision(7, "commit")).join();
 *     System.out.println(report.reached() + " reached in " + report.rounds() + " rounds");
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Each member gets a relay agent ({@code <name>-relay-<i>}, handler style: no thread while idle). A relay whose
 *       member is stopped acts as a crashed node: it neither delivers nor forwards.</li>
 *   <li>Peers are drawn from a random source split off the runtime's seeded one, a stream per relay.</li>
 *   <li>The default round limit is {@code ceil(log_fanout(members)) + 4}: past it a rumour is not forwarded.</li>
 *   <li>The report's future completes when every member has been handed the message or found unreachable; the
 *       members may still be processing it.</li>
 * </ul>
 *
 * <p>Thread-safe: broadcasts may overlap. {@link #close} stops the relays (not the members).
 *
 * @param <M> the message, a {@link Val}: every member gets the same instance
 */
public final class Gossip<M extends Val> implements AutoCloseable {
    /** The default number of peers a relay pushes to. */
    public static final int DEFAULT_FANOUT = 3;

    private final AgentRuntime runtime;
    private final String name;
    private final List<AgentRef<M>> members;
    private final int fanout;
    private final int roundLimit;
    private final List<AgentHandle<Rumor<M>>> relays;
    private final List<AgentRef<Rumor<M>>> relayRefs;
    private final SplittableRandom broadcasterRandom; // guarded by broadcasterLock
    private final SpinLock broadcasterLock = new SpinLock(); // broadcasts may come from agents on the carriers
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean closed;
    /** Broadcasts still spreading, by id: relays report into them; removed when the report is made. */
    final ConcurrentHashMap<Long, GossipRound<M>> active = new ConcurrentHashMap<>();

    /** What travels between relays. */
    record Rumor<M extends Val>(long id, int round, M payload) implements Val {
    }

    private Gossip(Builder<M> b, List<AgentRef<M>> members) {
        this.runtime = b.runtime;
        this.name = b.name;
        this.members = members;
        this.fanout = b.fanout;
        this.roundLimit = b.roundLimit > 0 ? b.roundLimit : defaultRoundLimit(members.size(), fanout);
        SplittableRandom seed = new SplittableRandom(runtime.random().nextLong()); // the runtime's is thread-safe
        this.broadcasterRandom = seed.split();
        List<AgentHandle<Rumor<M>>> handles = new ArrayList<>(members.size());
        try {
            for (int i = 0; i < members.size(); i++) {
                GossipRelay<M> relay = new GossipRelay<>(this, i, members.get(i), seed.split());
                handles.add(runtime.spawn(name + "-relay-" + i, Behaviors.nonBlocking(relay)));
            }
        } catch (RuntimeException e) {
            handles.forEach(h -> h.stop(false));
            throw e;
        }
        this.relays = List.copyOf(handles);
        this.relayRefs = handles.stream().map(AgentHandle::ref).toList();
    }

    static int defaultRoundLimit(int members, int fanout) {
        if (members <= 1) {
            return 1;
        }
        int base = fanout == 1 ? members : (int) Math.ceil(Math.log(members) / Math.log(fanout));
        return base + 4;
    }

    /** Starts building a group named {@code name} over {@code members}. */
    public static <M extends Val> Builder<M> builder(AgentRuntime runtime, String name, List<AgentRef<M>> members) {
        return new Builder<>(runtime, name, members);
    }

    /**
     * Spreads {@code message} to every member: the broadcaster pushes it to {@code fanout} random members, and gossip
     * takes it from there.
     *
     * @throws IllegalStateException if the group is closed or the runtime is not running
     */
    public CompletableFuture<GossipReport> broadcast(M message) {
        Objects.requireNonNull(message, "message");
        if (closed) {
            throw new IllegalStateException("the gossip group " + name + " is closed");
        }
        long id = ids.incrementAndGet();
        GossipRound<M> round = new GossipRound<>(this, id, message, runtime.clock());
        active.put(id, round);
        int[] first;
        broadcasterLock.lock();
        try {
            first = pickPeers(broadcasterRandom, -1);
        } finally {
            broadcasterLock.unlock();
        }
        round.sending(first.length);
        for (int p : first) {
            push(round, p, new Rumor<>(id, 1, message));
        }
        return round.future();
    }

    /** Sends a rumour to relay {@code p}; one that cannot be sent is settled at once. */
    void push(GossipRound<M> round, int p, Rumor<M> rumor) {
        boolean sent;
        try {
            sent = relayRefs.get(p).signal(rumor);
        } catch (RuntimeException e) { // a full relay mailbox: the repair covers its member
            sent = false;
        }
        if (!sent) {
            round.settled(1);
        }
    }

    /** {@code fanout} distinct relays other than {@code self} (all of them if there are fewer). */
    int[] pickPeers(SplittableRandom random, int self) {
        int n = members.size();
        int others = self < 0 ? n : n - 1;
        int k = Math.min(fanout, others);
        int[] picked = new int[k];
        if (k == others) {
            for (int i = 0, j = 0; i < n; i++) {
                if (i != self) {
                    picked[j++] = i;
                }
            }
            return picked;
        }
        int j = 0;
        while (j < k) { // k is the fanout, a handful: a linear look for repeats beats a set
            int p = random.nextInt(n);
            if (p != self && !contains(picked, j, p)) {
                picked[j++] = p;
            }
        }
        return picked;
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }

    List<AgentRef<M>> members() {
        return members;
    }

    public int size() {
        return members.size();
    }

    public int fanout() {
        return fanout;
    }

    public int roundLimit() {
        return roundLimit;
    }

    public String name() {
        return name;
    }

    /**
     * Stops the relays (each after the rumour it is handling) and waits for them; broadcasts still spreading then end
     * with the repair: the members gossip had not reached get the message directly. Later broadcasts are refused.
     * It waits, so call it from outside the group (not from a non-blocking handler on a carrier).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        relays.forEach(h -> h.stop(true));
        boolean interrupted = false;
        for (AgentHandle<Rumor<M>> h : relays) {
            try {
                h.join();
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (RuntimeException e) { // a relay that failed has ended too
                continue;
            }
        }
        active.values().forEach(GossipRound::abandon);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Gossip[" + name + ", " + members.size() + " members, fanout " + fanout + ", round limit " + roundLimit
                + "]";
    }

    /** Options for a {@link Gossip} group. */
    public static final class Builder<M extends Val> {
        private final AgentRuntime runtime;
        private final String name;
        private final List<AgentRef<M>> members;
        private int fanout = DEFAULT_FANOUT;
        private int roundLimit; // 0: the default for the group's size

        private Builder(AgentRuntime runtime, String name, List<AgentRef<M>> members) {
            this.runtime = Objects.requireNonNull(runtime, "runtime");
            this.name = Objects.requireNonNull(name, "name");
            this.members = Objects.requireNonNull(members, "members");
        }

        /**
         * Peers each relay pushes to.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder<M> fanout(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("fanout must be at least 1: " + n);
            }
            this.fanout = n;
            return this;
        }

        /**
         * Hops after which a rumour is no longer forwarded.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder<M> roundLimit(int rounds) {
            if (rounds < 1) {
                throw new IllegalArgumentException("roundLimit must be at least 1: " + rounds);
            }
            this.roundLimit = rounds;
            return this;
        }

        /**
         * Spawns the relays.
         *
         * @throws IllegalArgumentException if there are no members, or one is named twice
         */
        public Gossip<M> build() {
            return new Gossip<>(this, Members.checked(members, "a gossip group"));
        }
    }
}
