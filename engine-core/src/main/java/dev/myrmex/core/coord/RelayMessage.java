package dev.myrmex.core.coord;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.Val;
import java.util.List;

/**
 * What a {@link GossipRelay} takes: first the peers it may push to, then rumours. Plain values holding addresses, so
 * that a relay needs nothing but its mailbox: the same messages could cross a process boundary.
 *
 * @param <M> the broadcast message
 */
sealed interface RelayMessage<M extends Val> extends Val permits RelayMessage.Peers, RelayMessage.Rumor {
    /** The relays of the group, the receiver among them (at its own index): sent once, before any rumour. */
    record Peers<M extends Val>(List<AgentRef<RelayMessage<M>>> relays) implements RelayMessage<M> {
        public Peers {
            relays = List.copyOf(relays); // the same list for every relay: copyOf of an unmodifiable list is itself
        }
    }

    /**
     * One copy of a broadcast.
     *
     * @param id         the broadcast's id in its group
     * @param hop        the round it arrives in: the broadcaster's pushes arrive in rounds 1 to {@code roundLimit}, a
     *                   relay first reached in round {@code h} pushes in rounds {@code h + 1} to {@code roundLimit}
     * @param roundLimit the last round (the time to live)
     * @param credit     the exponent {@code e} of the credit share {@code 2^-e} it carries ({@link CreditSum})
     * @param settled    every broadcast of the group with an id up to this one has ended: no copy of it is left,
     *                   so a relay may forget it
     * @param payload    the message the members get
     * @param origin     where receipts go: the broadcaster's address for this broadcast
     */
    record Rumor<M extends Val>(long id, int hop, int roundLimit, int credit, long settled, M payload,
            AgentRef<GossipReceipt> origin) implements RelayMessage<M> {
    }
}
