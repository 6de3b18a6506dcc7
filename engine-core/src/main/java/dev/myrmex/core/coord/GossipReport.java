package dev.myrmex.core.coord;

import dev.myrmex.core.AgentRef;
import java.time.Duration;
import java.util.List;

/**
 * How one {@link Gossip#broadcast} spread.
 *
 * @param messageId            the broadcast's id within its group
 * @param members              the group's size
 * @param reached              members that received the message (each exactly once), by gossip or repair
 * @param repaired             of those, members the gossip missed that got it directly once it died out
 * @param unreachable          members that could not take it (stopped, or their mailbox refused it)
 * @param rounds               the most hops from the broadcaster to a member reached by gossip
 * @param duplicatesSuppressed rumours a relay had seen already and dropped
 * @param messages             rumours sent between relays, plus direct repairs
 * @param elapsed              from the broadcast to the last delivery, on the runtime's clock
 */
public record GossipReport(long messageId, int members, int reached, int repaired, List<AgentRef<?>> unreachable,
        int rounds, long duplicatesSuppressed, long messages, Duration elapsed) {
    public GossipReport {
        unreachable = List.copyOf(unreachable);
    }

    @Override
    public String toString() {
        return "GossipReport[#" + messageId + " reached " + reached + "/" + members + " (" + repaired + " repaired, "
                + unreachable.size() + " unreachable) in " + rounds + " rounds, " + duplicatesSuppressed
                + " duplicates suppressed, " + messages + " messages, " + elapsed.toNanos() / 1_000 + " us]";
    }
}
