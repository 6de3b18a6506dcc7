package dev.myrmex.core.coord;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.LifecycleHooks;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.core.Val;
import dev.myrmex.core.internal.CoreAccess;
import dev.myrmex.core.internal.RandomStreams;
import dev.myrmex.sched.SpinLock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Epidemic broadcast to a group of member agents: push gossip between relay agents that share nothing but messages,
 * and, if wanted, a repair of what gossip missed. The report says which did what.
 *
 * <pre>{@code
 * try (Gossip<Decision> gossip = Gossip.builder(rt, "decisions", nodeRefs).fanout(3).build()) {
 *     GossipReport r = gossip.broadcast(new Decision(7, "commit")).join();
 *     System.out.println(r.reachedByGossip() + " by gossip in " + r.rounds() + " rounds, " + r.reachedByRepair()
 *             + " by repair");
 * }
 * }</pre>
 *
 * <h2>The protocol</h2>
 * <ul>
 *   <li>Each member gets a relay agent ({@code <name>-relay-<i>}, handler style: no thread while idle), which is told
 *       the group's relays in a message; from then on it knows only its own state and what rumours bring. Relays
 *       forward by message only; no map, set or counter is shared between them (nor with the broadcaster), so the
 *       same relays could run in other processes. See {@link GossipRelay}.</li>
 *   <li>Rounds, as in synchronous push gossip: the broadcaster pushes to {@code fanout} random relays in each round
 *       from 1 to the round limit; a relay first reached in round {@code h} hands the message to its member and pushes
 *       to {@code fanout} random peers in each round from {@code h + 1} to the limit (the time to live). Relays
 *       de-duplicate by broadcast id: a member is handed each broadcast at most once.</li>
 *   <li>Coverage is learned by message: for every rumour it handles a relay sends the broadcaster a receipt (handed
 *       to the member, heard before, member unreachable), and every rumour carries a share of credit that its receipt
 *       returns, so the broadcaster knows the rumour has died out when all credit is back ({@link CreditSum}).</li>
 *   <li>The repair (on by default, {@link Builder#repair}): once gossip has died out, the broadcaster sends the
 *       message directly, with no sender, to each member no receipt said was reached. Off, such members are reported
 *       as {@link GossipReport#missed}.</li>
 *   <li>A relay whose member is stopped (or refuses the message) acts as a crashed node: it delivers and forwards
 *       nothing for that broadcast.</li>
 *   <li>Peers are drawn from random streams split off the runtime's seeded one, one per relay.</li>
 * </ul>
 *
 * <h2>Rounds and cost</h2>
 * With {@code n} members and fanout {@code f}, the informed set grows about {@code (f + 1)}-fold a round at first and
 * the uninformed share then shrinks about {@code e^-f}-fold a round, so full coverage takes about
 * {@code log_(f+1) n + ln n / f} rounds (Frieze and Grimmett 1985, Pittel 1987, for {@code f = 1}), and never fewer
 * than {@code log_(f+1)(n + 1)}. The default round limit is that estimate, rounded up, plus {@value #ROUND_MARGIN}
 * (14 for 1,000 members at fanout 3, 16 for 10,000). Each relay sends {@code f} rumours per round after the one it is
 * reached in, so a broadcast costs about {@code f * n * (limit - mean first round)} rumours and as many receipts:
 * about 27 of each per member at the defaults (measured for 1,000 and 10,000). The measured rounds are in
 * {@code GossipCoverageTest} and docs/architecture.md.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Every member gets each broadcast at most once; with the repair on, every live member gets it exactly once.
 *       </li>
 *   <li>The report's future completes when gossip has died out (and the repair is done); the members may still be
 *       processing the message. It completes on the thread of the last receipt, a relay's carrier: chain
 *       {@code ...Async} for long work. If a relay ends while the group is open (stopped from outside, failed, or the
 *       runtime stopping), the group closes itself, so that no report waits for ever.</li>
 * </ul>
 *
 * <p>Thread-safe: broadcasts may overlap, and may come from agents. {@link #close} stops the relays (not the
 * members).
 *
 * @param <M> the message, a {@link Val}: every member gets the same instance
 */
public final class Gossip<M extends Val> implements AutoCloseable {
    /** The default number of peers a relay pushes to in a round. */
    public static final int DEFAULT_FANOUT = 3;
    /**
     * The largest round limit accepted: every relay pushes {@code fanout} rumours in each round it owes, so the cost of
     * a broadcast grows with the limit, and a limit far past {@code log n} only adds duplicates.
     */
    public static final int MAX_ROUND_LIMIT = 1024;
    /**
     * Rounds the default limit adds to the expected rounds to full coverage. Past that estimate, an uninformed live
     * member stays so through a round with a chance of about {@code e^-fanout}: 6 rounds at fanout 3 leave it missed
     * with a chance of about {@code e^-18}, so a broadcast to 10,000 misses someone less than once in 6,000. The
     * measured rounds ({@code GossipCoverageTest}: at most 9 for 1,000 members, 11 for 10,000) stay 3 to 5 under the
     * default limits. Re-tune it with that test; with members crashed, gossip needs more rounds (the repair covers).
     */
    static final int ROUND_MARGIN = 6;

    private final AgentRuntime runtime;
    private final String name;
    private final List<AgentRef<M>> members;
    private final int fanout;
    private final int roundLimit;
    private final boolean repair;
    private final List<AgentHandle<RelayMessage<M>>> relays;
    private final List<AgentRef<RelayMessage<M>>> relayRefs;
    private final SpinLock lock = new SpinLock(); // broadcasts may come from agents on the carriers
    private final SplittableRandom random; // the broadcaster's own peer draws; guarded by lock
    private long lastId; // guarded by lock
    private boolean closed; // guarded by lock
    /** Broadcasts still spreading, by id: added under lock, removed by the round as it ends (any thread). */
    private final ConcurrentSkipListMap<Long, GossipRound<M>> spreading = new ConcurrentSkipListMap<>();
    private final AtomicInteger endedRelays = new AtomicInteger();

    private Gossip(Builder<M> b, List<AgentRef<M>> members) {
        this.runtime = b.runtime;
        this.name = b.name;
        this.members = members;
        this.fanout = b.fanout;
        this.roundLimit = b.roundLimit > 0 ? b.roundLimit : defaultRoundLimit(members.size(), fanout);
        this.repair = b.repair;
        SplittableRandom seed = new SplittableRandom( // the runtime's streams are thread-safe
                CoreAccess.get().random(runtime, RandomStreams.Consumer.GOSSIP).nextLong());
        this.random = seed.split();
        SpawnOptions options = SpawnOptions.DEFAULTS.withHooks(new LifecycleHooks() {
            @Override
            public void onStop(AgentHandle<?> relay, Throwable cause) {
                relayEnded();
            }
        });
        List<AgentHandle<RelayMessage<M>>> handles = new ArrayList<>(members.size());
        try {
            for (int i = 0; i < members.size(); i++) {
                GossipRelay<M> relay = new GossipRelay<>(i, members.get(i), fanout, seed.split());
                handles.add(runtime.spawn(name + "-relay-" + i, Behaviors.nonBlocking(relay), options));
            }
        } catch (RuntimeException e) {
            closed = true;
            handles.forEach(h -> h.stopNow());
            throw e;
        }
        this.relays = List.copyOf(handles);
        this.relayRefs = handles.stream().map(AgentHandle::ref).toList();
        RelayMessage.Peers<M> peers = new RelayMessage.Peers<>(relayRefs);
        for (AgentRef<RelayMessage<M>> r : relayRefs) { // each relay's first message: nothing can overtake it
            r.signal(peers);
        }
    }

    /** {@code ceil(log_(f+1) n + ln n / f) + ROUND_MARGIN}: see the class comment; 1 for a single member. */
    static int defaultRoundLimit(int members, int fanout) {
        if (members <= 1) {
            return 1;
        }
        double ln = Math.log(members);
        int expected = (int) Math.ceil(ln / Math.log(fanout + 1.0) + ln / fanout);
        return Math.min(MAX_ROUND_LIMIT, expected + ROUND_MARGIN);
    }

    /** Starts building a group named {@code name} over {@code members}. */
    public static <M extends Val> Builder<M> builder(AgentRuntime runtime, String name, List<AgentRef<M>> members) {
        return new Builder<>(runtime, name, members);
    }

    /**
     * Spreads {@code message} to every member: the broadcaster pushes it to {@code fanout} random relays in every
     * round, and the relays take it from there.
     *
     * @return the report, once gossip has died out and the repair (if on) is done
     * @throws IllegalStateException if the group is closed or the runtime is not running
     */
    public CompletableFuture<GossipReport> broadcast(M message) {
        Objects.requireNonNull(message, "message");
        GossipRound<M> round;
        long id;
        long settled;
        int[][] picks = new int[roundLimit][];
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the gossip group " + name + " is closed");
            }
            id = ++lastId;
            long self = id;
            round = new GossipRound<>(id, message, members, repair, runtime.clock(), () -> spreading.remove(self));
            spreading.put(id, round); // under the lock, in id order: see settled
            settled = spreading.firstKey() - 1; // every older broadcast has ended: relays may forget them
            for (int r = 0; r < roundLimit; r++) {
                picks[r] = GossipRelay.pick(random, members.size(), -1, fanout);
            }
        } finally {
            lock.unlock();
        }
        AgentRef<GossipReceipt> origin;
        try {
            origin = CoreAccess.get().replyAddress(runtime, name + "-receipts-" + id, round.receipts());
        } catch (RuntimeException e) { // the runtime is not running
            spreading.remove(id);
            throw e;
        }
        long k = (long) roundLimit * picks[0].length;
        int credit = CreditSum.splitBits(k);
        long kept = (1L << credit) - k;
        int sent = 0;
        for (int r = 0; r < roundLimit; r++) {
            RelayMessage.Rumor<M> rumor = new RelayMessage.Rumor<>(id, r + 1, roundLimit, credit, settled, message,
                    origin);
            for (int p : picks[r]) {
                if (GossipRelay.send(relayRefs.get(p), rumor)) {
                    sent++;
                } else {
                    kept++;
                }
            }
        }
        round.started(credit, kept, sent);
        return round.future();
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

    /** True if members gossip missed get the message directly once it has died out. */
    public boolean repairs() {
        return repair;
    }

    public String name() {
        return name;
    }

    /**
     * Stops the relays (each after the rumour it is handling) and waits for them; broadcasts still spreading then
     * end: with the repair on, the members gossip had not reached get the message directly. Later broadcasts are
     * refused. It waits, so call it from outside the group (not from a non-blocking handler on a carrier).
     */
    @Override
    public void close() {
        if (markClosed()) {
            stopRelays();
        }
        boolean interrupted = false;
        for (AgentHandle<RelayMessage<M>> h : relays) {
            try {
                h.join();
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (RuntimeException e) { // a relay that failed has ended too
                continue;
            }
        }
        if (!interrupted) {
            abandonSpreading();
        } else {
            Thread.currentThread().interrupt();
        }
    }

    /** True for the caller that closed the group. */
    private boolean markClosed() {
        lock.lock();
        try {
            boolean first = !closed;
            closed = true;
            return first;
        } finally {
            lock.unlock();
        }
    }

    private void stopRelays() {
        for (AgentHandle<RelayMessage<M>> h : relays) {
            try {
                h.stop();
            } catch (IllegalStateException e) { // stopping or ended already
                continue;
            }
        }
    }

    /**
     * A relay has ended. While the group is open that breaks it (the rumours in its mailbox are lost, and their
     * credit with them), so the group closes; once every relay has ended, no receipt can come, and the broadcasts
     * still spreading end.
     */
    private void relayEnded() {
        if (markClosed() && relays != null) { // relays is null while a failed construction stops what it spawned
            stopRelays();
        }
        if (endedRelays.incrementAndGet() == members.size()) {
            abandonSpreading();
        }
    }

    /** Ends the broadcasts still spreading; only once every relay has ended (see GossipRound#abandon). */
    private void abandonSpreading() {
        for (GossipRound<M> r : spreading.values()) {
            r.abandon();
        }
    }

    @Override
    public String toString() {
        return "Gossip[" + name + ", " + members.size() + " members, fanout " + fanout + ", round limit " + roundLimit
                + ", repair " + (repair ? "on" : "off") + "]";
    }

    /** Options for a {@link Gossip} group. */
    public static final class Builder<M extends Val> {
        private final AgentRuntime runtime;
        private final String name;
        private final List<AgentRef<M>> members;
        private int fanout = DEFAULT_FANOUT;
        private int roundLimit; // 0: the default for the group's size
        private boolean repair = true;

        private Builder(AgentRuntime runtime, String name, List<AgentRef<M>> members) {
            this.runtime = Objects.requireNonNull(runtime, "runtime");
            this.name = Objects.requireNonNull(name, "name");
            this.members = Objects.requireNonNull(members, "members");
        }

        /**
         * Peers each relay pushes to in a round ({@value #DEFAULT_FANOUT} by default).
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
         * The last round: rumours of a later one are not sent (by default the expected rounds to full coverage plus
         * a margin: see {@link Gossip}).
         *
         * @throws IllegalArgumentException if below 1 or above {@link #MAX_ROUND_LIMIT}
         */
        public Builder<M> roundLimit(int rounds) {
            if (rounds < 1 || rounds > MAX_ROUND_LIMIT) {
                throw new IllegalArgumentException("roundLimit must be between 1 and " + MAX_ROUND_LIMIT + ": "
                        + rounds);
            }
            this.roundLimit = rounds;
            return this;
        }

        /**
         * Whether the broadcaster, once gossip has died out, sends the message directly to the members gossip did not
         * reach (on by default). Off, the report names them as missed.
         */
        public Builder<M> repair(boolean on) {
            this.repair = on;
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
