package dev.myrmex.core.coord;

import dev.myrmex.core.Val;

/**
 * What a relay tells the broadcaster about one rumour it handled: sent for every rumour, since each returns the rest of
 * its credit share ({@link CreditSum}).
 *
 * @param relay   the relay's index in its group (its member's)
 * @param hop     the rumour's round
 * @param outcome what the relay did with it
 * @param credit  the exponent {@code e} of the parts returned, each {@code 2^-e}
 * @param units   how many parts are returned: at least 1
 * @param sent    rumours the relay pushed on to peers (delivered to their mailboxes) because of this one
 */
record GossipReceipt(int relay, int hop, Outcome outcome, int credit, long units, int sent) implements Val {
    enum Outcome {
        /** First copy: handed to the member. */
        DELIVERED,
        /** The relay had heard this broadcast already: not handed to the member again. */
        DUPLICATE,
        /** The member could not take it (stopped, or its mailbox refused it): the relay acts as a crashed node. */
        UNREACHABLE
    }
}
