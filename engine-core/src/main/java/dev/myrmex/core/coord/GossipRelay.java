package dev.myrmex.core.coord;

import dev.myrmex.core.AgentContext;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.Message;
import dev.myrmex.core.MessageHandler;
import dev.myrmex.core.Val;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The behaviour of one member's relay in a {@link Gossip} group: first time it hears a rumour, it hands the message
 * to its member and pushes the rumour to random peers (unless at the round limit); after that it drops it. A relay
 * whose member cannot take the message acts as a crashed node and forwards nothing. Its state (the ids seen, its
 * random stream) is touched by its own agent only, one message at a time.
 */
final class GossipRelay<M extends Val> implements MessageHandler<Gossip.Rumor<M>> {
    private static final int PRUNE_ABOVE = 64;

    private final Gossip<M> group;
    private final int index;
    private final AgentRef<M> member;
    private final SplittableRandom random;
    private final Set<Long> seen = new HashSet<>();

    GossipRelay(Gossip<M> group, int index, AgentRef<M> member, SplittableRandom random) {
        this.group = group;
        this.index = index;
        this.member = member;
        this.random = random;
    }

    @Override
    public void handle(AgentContext<Gossip.Rumor<M>> ctx, Message<Gossip.Rumor<M>> message) {
        Gossip.Rumor<M> rumor = message.payload();
        GossipRound<M> round = group.active.get(rumor.id());
        if (round == null) {
            throw new IllegalStateException("gossip round " + rumor.id() + " ended with a rumour in flight");
        }
        try {
            if (!seen.add(rumor.id())) {
                round.duplicate();
                return;
            }
            if (seen.size() > PRUNE_ABOVE) { // rounds that ended can send nothing more: forget them
                seen.removeIf(id -> !group.active.containsKey(id));
            }
            boolean delivered;
            try {
                delivered = member.signal(rumor.payload());
            } catch (RuntimeException e) { // a full mailbox refused it
                delivered = false;
            }
            if (!delivered) {
                round.unreachable(index);
                return;
            }
            round.reached(index, rumor.round());
            if (rumor.round() < group.roundLimit()) {
                int[] peers = group.pickPeers(random, index);
                round.sending(peers.length);
                Gossip.Rumor<M> next = new Gossip.Rumor<>(rumor.id(), rumor.round() + 1, rumor.payload());
                for (int p : peers) {
                    group.push(round, p, next);
                }
            }
        } finally {
            round.settled(1);
        }
    }
}
