package dev.myrmex.examples.consensus;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.Val;
import dev.myrmex.core.coord.Gossip;
import dev.myrmex.core.coord.GossipReport;
import dev.myrmex.core.coord.Quorum;
import dev.myrmex.core.coord.QuorumResult;
import dev.myrmex.core.coord.QuorumThreshold;
import dev.myrmex.core.coord.Topology;
import dev.myrmex.core.coord.TopologyNode;
import dev.myrmex.examples.BadArgumentsException;
import dev.myrmex.examples.ExampleArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Quorum consensus on a mesh: each round a leader proposes a value to itself and its neighbours (the whole mesh),
 * decides by majority on even rounds and by two-thirds supermajority on odd ones, and spreads each decision by
 * gossip. Byzantine nodes answer a conflicting value of their own; slow nodes answer after the quorum's timeout.
 *
 * <pre>
 * ./myrmex example quorum-consensus [--nodes 10] [--rounds 12] [--byzantine 2] [--slow 1] [--timeout-ms 20]
 * </pre>
 *
 * It prints each round (threshold, outcome, tally, who timed out, time taken, how the gossip spread) and a summary,
 * and checks that every node learned every decision exactly once.
 */
public final class QuorumConsensus {
    sealed interface NodeMsg extends Val permits Propose, Decided {
    }

    /** A leader's proposal for a round. */
    record Propose(int round, String value) implements NodeMsg {
    }

    /** A decision, spread by gossip. */
    record Decided(int round, String value) implements NodeMsg {
    }

    /** A node's answer to a proposal. */
    record Vote(String value) implements Val {
    }

    record Options(int nodes, int rounds, int byzantine, int slow, int timeoutMillis) {
        static Options parse(String[] args) {
            int nodes = 10;
            int rounds = 12;
            int byzantine = 2;
            int slow = 1;
            int timeout = 20;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--nodes" -> nodes = ExampleArgs.positive("--nodes", value);
                    case "--rounds" -> rounds = ExampleArgs.positive("--rounds", value);
                    case "--byzantine" -> byzantine = ExampleArgs.atLeastZero("--byzantine", value);
                    case "--slow" -> slow = ExampleArgs.atLeastZero("--slow", value);
                    case "--timeout-ms" -> timeout = ExampleArgs.positive("--timeout-ms", value);
                    default -> throw new BadArgumentsException("unknown option " + args[i] + " (known: --nodes N, "
                            + "--rounds N, --byzantine N, --slow N, --timeout-ms N)");
                }
                i++;
            }
            if (byzantine + slow > nodes) {
                throw new BadArgumentsException("--byzantine " + byzantine + " plus --slow " + slow
                        + " is more than --nodes " + nodes);
            }
            return new Options(nodes, rounds, byzantine, slow, timeout);
        }
    }

    private QuorumConsensus() {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        try (AgentRuntime rt = AgentRuntime.builder().randomSeed(2026).build()) {
            rt.start();
            run(rt, o);
        }
    }

    /** Node {@code i}: the first ones byzantine, the next ones slow, the rest honest. */
    private static String kind(Options o, int i) {
        return i < o.byzantine() ? "byzantine" : i < o.byzantine() + o.slow() ? "slow" : "honest";
    }

    private static void run(AgentRuntime rt, Options o) throws Exception {
        AtomicIntegerArray learned = new AtomicIntegerArray(o.nodes() * o.rounds()); // node x round: decisions heard
        Duration slowDelay = Duration.ofMillis(3L * o.timeoutMillis());
        Topology<NodeMsg> mesh = Topology.mesh(o.nodes()).spawn(rt, "node",
                node -> node(node, kind(o, node.index()), slowDelay, learned, o.rounds()));
        System.out.printf(Locale.ROOT, "quorum consensus: %d-node mesh (%d byzantine, %d slow, %d honest), quorum "
                        + "timeout %d ms, %d rounds; decisions spread by gossip (fanout %d)%n",
                o.nodes(), o.byzantine(), o.slow(), o.nodes() - o.byzantine() - o.slow(), o.timeoutMillis(), o.rounds(),
                Gossip.DEFAULT_FANOUT);
        List<Long> quorumMicros = new ArrayList<>();
        List<Long> gossipMicros = new ArrayList<>();
        int[] outcomes = new int[QuorumResult.Outcome.values().length];
        List<Integer> decidedRounds = new ArrayList<>();
        try (Gossip<NodeMsg> gossip = Gossip.builder(rt, "decisions", mesh.refs()).build()) {
            warmUp(rt, mesh, gossip);
            for (int round = 0; round < o.rounds(); round++) {
                int leader = round % o.nodes();
                TopologyNode<NodeMsg> place = mesh.node(leader);
                List<AgentRef<NodeMsg>> members = new ArrayList<>(place.neighbours());
                members.add(mesh.ref(leader));
                boolean supermajority = round % 2 == 1;
                QuorumThreshold threshold = supermajority ? QuorumThreshold.twoThirds() : QuorumThreshold.majority();
                Quorum<NodeMsg, Vote> quorum = Quorum.of(rt, members, threshold,
                        Duration.ofMillis(o.timeoutMillis()));
                String proposal = "v" + round;
                QuorumResult<Vote> r = quorum.ask(new Propose(round, proposal)).get(1, TimeUnit.MINUTES);
                outcomes[r.outcome().ordinal()]++;
                quorumMicros.add(r.elapsed().toNanos() / 1_000);
                String line = String.format(Locale.ROOT, "round %2d  leader node-%d  %-10s needs %2d/%d: %-9s %-4s "
                                + "tally %s, timed out %d, %,6d us", round, leader, threshold, quorum.required(),
                        members.size(), r.outcome(), r.decided() ? r.decision().value() : "-", tallyText(r),
                        r.timedOut().size(), r.elapsed().toNanos() / 1_000);
                if (r.decided()) {
                    GossipReport g = gossip.broadcast(new Decided(round, r.decision().value()))
                            .get(1, TimeUnit.MINUTES);
                    gossipMicros.add(g.elapsed().toNanos() / 1_000);
                    decidedRounds.add(round);
                    line += String.format(Locale.ROOT, "; gossip reached %d/%d (%d by gossip in %d rounds, %d by "
                            + "repair; %d rumours, %d duplicates suppressed), %,d us", g.reached(), g.members(),
                            g.reachedByGossip(), g.rounds(), g.reachedByRepair(), g.rumours(),
                            g.duplicatesSuppressed(), g.elapsed().toNanos() / 1_000);
                }
                System.out.println(line);
            }
        }
        int missing = awaitLearned(learned, o, decidedRounds);
        System.out.printf(Locale.ROOT, "done: %d rounds, %d decided, %d no quorum, %d timed out; quorum time p50 %,d us"
                        + ", max %,d us; gossip time p50 %,d us; every node learned every decision exactly once: %s%n",
                o.rounds(), outcomes[QuorumResult.Outcome.DECIDED.ordinal()],
                outcomes[QuorumResult.Outcome.NO_QUORUM.ordinal()], outcomes[QuorumResult.Outcome.TIMED_OUT.ordinal()],
                median(quorumMicros), quorumMicros.stream().mapToLong(Long::longValue).max().orElse(0),
                median(gossipMicros), missing == 0 ? "yes" : "NO (" + missing + " node-decisions wrong)");
        mesh.stop();
    }

    /**
     * Unprinted rounds first (2,000 quorum rounds, 200 broadcasts, round -1), so that the printed ones show warm
     * code, as a long-running node would, not the interpreter loading and compiling it.
     */
    private static void warmUp(AgentRuntime rt, Topology<NodeMsg> mesh, Gossip<NodeMsg> gossip) throws Exception {
        Quorum<NodeMsg, Vote> q = Quorum.of(rt, mesh.refs(), QuorumThreshold.majority(), Duration.ofSeconds(5));
        for (int i = 0; i < 2_000; i++) {
            q.ask(new Propose(-1, "warm-up")).get(1, TimeUnit.MINUTES);
        }
        for (int i = 0; i < 200; i++) {
            gossip.broadcast(new Decided(-1, "warm-up")).get(1, TimeUnit.MINUTES);
        }
    }

    private static String tallyText(QuorumResult<Vote> r) {
        StringBuilder b = new StringBuilder("{");
        r.tally().forEach((v, n) -> b.append(b.length() > 1 ? ", " : "").append(v.value()).append('=').append(n));
        return b.append('}').toString();
    }

    /** Waits for the gossip's deliveries to be handled; returns how many node-decision counts are not exactly 1. */
    private static int awaitLearned(AtomicIntegerArray learned, Options o, List<Integer> decided)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int wrong;
        do {
            wrong = 0;
            for (int node = 0; node < o.nodes(); node++) {
                for (int round = 0; round < o.rounds(); round++) {
                    int expected = decided.contains(round) ? 1 : 0;
                    if (learned.get(node * o.rounds() + round) != expected) {
                        wrong++;
                    }
                }
            }
            if (wrong > 0) {
                Thread.sleep(1);
            }
        } while (wrong > 0 && System.nanoTime() < deadline);
        return wrong;
    }

    private static long median(List<Long> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** A node: votes on proposals as its kind says, and records the decisions it hears. */
    private static dev.myrmex.core.Behavior<NodeMsg> node(TopologyNode<NodeMsg> node, String kind,
            Duration slowDelay, AtomicIntegerArray learned, int rounds) {
        SplittableRandom random = new SplittableRandom(node.index());
        return Behaviors.nonBlocking((ctx, m) -> {
            switch (m.payload()) {
                case Propose p -> {
                    switch (kind) {
                        case "byzantine" -> ctx.reply(m, new Vote("x" + random.nextInt(1_000)));
                        case "slow" -> CompletableFuture.delayedExecutor(slowDelay.toNanos(), TimeUnit.NANOSECONDS)
                                .execute(() -> ctx.reply(m, new Vote(p.value())));
                        default -> ctx.reply(m, new Vote(p.value()));
                    }
                }
                case Decided d -> {
                    if (d.round() >= 0) { // round -1 is the warm-up
                        learned.incrementAndGet(node.index() * rounds + d.round());
                    }
                }
            }
        });
    }
}
