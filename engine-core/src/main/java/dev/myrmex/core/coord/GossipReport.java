package dev.myrmex.core.coord;

import dev.myrmex.core.AgentRef;
import java.time.Duration;
import java.util.List;

/**
 * How one {@link Gossip#broadcast} spread. The broadcaster learns it from the relays' receipts (one per rumour a
 * relay handles), not from any state it shares with them.
 *
 * @param messageId            the broadcast's id within its group
 * @param members              the group's size
 * @param reachedByGossip      members their relay handed the message to, each exactly once
 * @param reachedByRepair      members gossip had not reached, which the broadcaster then sent it to directly (0 when
 *                             the group's repair is off)
 * @param unreachable          members that could not take it (stopped, or their mailbox refused it), found so by
 *                             their relay or by the repair
 * @param missed               members gossip did not reach and nothing else tried (the repair is off): whether they
 *                             are alive is not known
 * @param rounds               the rounds gossip took to reach the members it reached: over those members, the latest
 *                             of the earliest round their relay heard the broadcast in (the broadcaster's own pushes
 *                             arrive in round 1). When {@code reachedByGossip} is every live member, the rounds to
 *                             full coverage. At most the group's round limit.
 * @param rumours              copies of the broadcast sent to relays (the broadcaster's pushes included)
 * @param receipts             receipts the relays sent back, one per rumour they handled
 * @param repairs              the repair's direct sends, delivered or not
 * @param duplicatesSuppressed rumours a relay had heard already, so did not hand to its member again
 * @param elapsed              from the broadcast to the report, on the runtime's clock
 */
public record GossipReport(long messageId, int members, int reachedByGossip, int reachedByRepair,
        List<AgentRef<?>> unreachable, List<AgentRef<?>> missed, int rounds, long rumours, long receipts, long repairs,
        long duplicatesSuppressed, Duration elapsed) {
    public GossipReport {
        unreachable = List.copyOf(unreachable);
        missed = List.copyOf(missed);
    }

    /** Members that received the message, by gossip or by the repair. */
    public int reached() {
        return reachedByGossip + reachedByRepair;
    }

    /** Every message the broadcast caused: rumours, receipts and the repair's sends. */
    public long messages() {
        return rumours + receipts + repairs;
    }

    @Override
    public String toString() {
        return "GossipReport[#" + messageId + " reached " + reached() + "/" + members + " (" + reachedByGossip
                + " by gossip in " + rounds + " rounds, " + reachedByRepair + " by repair; " + unreachable.size()
                + " unreachable, " + missed.size() + " missed), " + rumours + " rumours (" + duplicatesSuppressed
                + " duplicates suppressed), " + receipts + " receipts, " + repairs + " repairs, "
                + elapsed.toNanos() / 1_000 + " us]";
    }
}
