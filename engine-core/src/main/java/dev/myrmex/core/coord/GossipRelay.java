package dev.myrmex.core.coord;

import dev.myrmex.core.AgentContext;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.Message;
import dev.myrmex.core.MessageHandler;
import dev.myrmex.core.Val;
import dev.myrmex.core.coord.GossipReceipt.Outcome;
import dev.myrmex.core.mailbox.MailboxFullException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The behavior of one member's relay in a {@link Gossip} group: push gossip with a round limit, sharing nothing.
 *
 * <h2>What a relay knows</h2>
 * Its own index, member, fanout and random stream (given at spawn); the peers it was told about (one
 * {@link RelayMessage.Peers} message, its first); and what it has heard: per broadcast id, the earliest round it
 * heard it in, or that its member could not take it. Everything else comes in the rumours: the round limit, where
 * receipts go, which broadcasts are over. It reads and writes no state of another relay or of the broadcaster; its
 * only way out is messages (pushes to peers, receipts to the broadcaster, the delivery to its member). It is an
 * agent, so it handles one message at a time and needs no lock.
 *
 * <h2>On a rumour of round h</h2>
 * <ol>
 *   <li>The first copy of a broadcast is handed to the member (at most once per broadcast: this is the members'
 *       de-duplication). If the member cannot take it (stopped, or its mailbox refused it), the relay acts as a
 *       crashed node for this broadcast: it forwards nothing, now or later. Otherwise it pushes, for every round
 *       {@code r} from {@code h + 1} to the round limit, a copy of round {@code r} to {@code fanout} distinct peers
 *       drawn at random (never itself).</li>
 *   <li>A later copy from an earlier round ({@code h} below the earliest so far) makes it push the rounds it now
 *       owes, {@code h + 1} to the earliest so far, and lowers the earliest; any other copy is dropped.</li>
 *   <li>Either way it sends the broadcaster a receipt: the outcome, the round, the rest of the rumour's credit
 *       ({@link CreditSum}: the pushes take one part each, the receipt keeps at least one, plus the parts of pushes
 *       that a full or closed mailbox refused) and how many pushes went out.</li>
 * </ol>
 *
 * <p>Why all its rounds at once, and the re-push: a relay has no clock to pace rounds by. Pushing every round it owes
 * when it learns it owes it, with fresh peers per round, makes each relay in the end push exactly the rounds after the
 * earliest round it heard the rumour in: that is synchronous-round push gossip (every informed node pushes to
 * {@code fanout} random peers in every round until the limit; Frieze and Grimmett 1985, Pittel 1987, Karp et al.
 * 2000), whatever order the runtime delivers in. So the rounds a {@link GossipReport} gives are that protocol's, and
 * a loaded machine does not change them.
 *
 * <p>Memory: what it heard is kept until a later rumour says the broadcast is over everywhere
 * ({@link RelayMessage.Rumor#settled}), then forgotten once more than {@value #PRUNE_ABOVE} are kept.
 */
final class GossipRelay<M extends Val> implements MessageHandler<RelayMessage<M>> {
    private static final int PRUNE_ABOVE = 64;
    private static final int CRASHED = -1; // in heard: the member could not take the broadcast

    private final int index;
    private final AgentRef<M> member;
    private final int fanout;
    private final SplittableRandom random;
    private final Map<Long, Integer> heard = new HashMap<>(); // broadcast id -> earliest round heard, or CRASHED
    private List<AgentRef<RelayMessage<M>>> peers; // from the Peers message
    private long settled; // the highest "settled" a rumour brought

    GossipRelay(int index, AgentRef<M> member, int fanout, SplittableRandom random) {
        this.index = index;
        this.member = member;
        this.fanout = fanout;
        this.random = random;
    }

    @Override
    public void handle(AgentContext<RelayMessage<M>> ctx, Message<RelayMessage<M>> message) {
        switch (message.payload()) {
            case RelayMessage.Peers<M> p -> {
                if (peers != null) {
                    throw new IllegalStateException("relay " + index + " was told its peers twice");
                }
                peers = p.relays();
            }
            case RelayMessage.Rumor<M> r -> hear(r);
        }
    }

    private void hear(RelayMessage.Rumor<M> r) {
        if (peers == null) {
            throw new IllegalStateException("relay " + index + " got a rumour before it was told its peers");
        }
        settled = Math.max(settled, r.settled());
        Integer earliest = heard.get(r.id());
        if (earliest == null) {
            forgetEnded();
            if (deliver(r.payload())) {
                heard.put(r.id(), r.hop());
                push(r, Outcome.DELIVERED, r.hop() + 1, r.roundLimit());
            } else {
                heard.put(r.id(), CRASHED);
                push(r, Outcome.UNREACHABLE, 1, 0);
            }
        } else if (earliest != CRASHED && r.hop() < earliest) {
            heard.put(r.id(), r.hop());
            push(r, Outcome.DUPLICATE, r.hop() + 1, earliest); // rounds after earliest were pushed already
        } else {
            push(r, earliest == CRASHED ? Outcome.UNREACHABLE : Outcome.DUPLICATE, 1, 0);
        }
    }

    /** Hands the message to the member; false if it cannot take it. */
    private boolean deliver(M payload) {
        try {
            return member.signal(payload);
        } catch (RuntimeException e) { // a full mailbox refused it, or an out-of-process member cannot take it
            return false;
        }
    }

    /** Pushes rounds {@code from} to {@code to} (none if {@code to < from}), then sends the receipt. */
    private void push(RelayMessage.Rumor<M> r, Outcome outcome, int from, int to) {
        int perRound = Math.min(fanout, peers.size() - 1);
        long k = (long) Math.max(0, to - from + 1) * perRound;
        int d = CreditSum.splitBits(k);
        int share = r.credit() + d;
        long kept = (1L << d) - k;
        int sent = 0;
        for (int round = from; round <= to; round++) {
            RelayMessage.Rumor<M> copy = new RelayMessage.Rumor<>(r.id(), round, r.roundLimit(), share, settled,
                    r.payload(), r.origin());
            for (int p : pick(random, peers.size(), index, perRound)) {
                if (send(peers.get(p), copy)) {
                    sent++;
                } else {
                    kept++; // its part of the credit comes home with the receipt
                }
            }
        }
        r.origin().signal(new GossipReceipt(index, r.hop(), outcome, share, kept, sent));
    }

    /** Sends a rumour to a peer relay; false if its mailbox refused it or it has ended (a dead letter). */
    static <M extends Val> boolean send(AgentRef<RelayMessage<M>> relay, RelayMessage.Rumor<M> rumor) {
        try {
            return relay.signal(rumor);
        } catch (MailboxFullException e) {
            return false;
        }
    }

    private void forgetEnded() {
        if (heard.size() > PRUNE_ABOVE) {
            heard.keySet().removeIf(id -> id <= settled);
        }
    }

    /**
     * {@code k} distinct indices below {@code n} other than {@code self} (all of them if there are no more), drawn
     * from {@code random}; {@code self < 0} excludes none.
     */
    static int[] pick(SplittableRandom random, int n, int self, int k) {
        int others = self < 0 ? n : n - 1;
        int[] picked = new int[Math.min(k, others)];
        if (picked.length == others) {
            for (int i = 0, j = 0; i < n; i++) {
                if (i != self) {
                    picked[j++] = i;
                }
            }
            return picked;
        }
        int j = 0;
        while (j < picked.length) { // k is the fanout, a handful: a linear look for repeats beats a set
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
}
