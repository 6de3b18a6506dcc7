package dev.myrmex.core;

import dev.myrmex.core.time.RuntimeClock;
import java.util.Objects;

/**
 * A message as an agent receives it: the payload, its capability, who sent it (absent when the sender is not an
 * agent) and when it was enqueued, by the runtime's clock ({@link RuntimeClock#nanoTime()}).
 *
 * <p>The enqueue stamp is never after the send, and may be earlier by at most about a millisecond: a thread that
 * sends fast reuses one clock reading for up to 64 sends (a clock read costs 25 to 46 ns on the VMs we measure on),
 * a new reading is taken at least once a millisecond, and a thread sending less often than once a microsecond is
 * stamped exactly. {@code MessageStampsTest} proves these bounds.
 *
 * @param payload        what was sent; for an {@link Iso}, the receiver's own, moved {@code Iso}
 * @param capability     {@link Capability#of(Sendable) the capability} of the payload
 * @param sender         the sending agent, or null when the message came from outside any agent
 * @param enqueuedNanos  when the message was sent, to within the bound above
 * @param <M>            the payload type
 */
public record Message<M extends Sendable>(M payload, Capability capability, Tag sender, long enqueuedNanos) {

    /**
     * @throws NullPointerException     if {@code payload} or {@code capability} is null
     * @throws IllegalArgumentException if {@code capability} is not the payload's
     */
    public Message {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(capability, "capability");
        if (capability != Capability.of(payload)) {
            throw new IllegalArgumentException("capability " + capability + " does not match the payload, a "
                    + Capability.of(payload) + " (" + payload.getClass().getName() + ")");
        }
    }

    /** A message whose capability is derived from {@code payload}. */
    public static <M extends Sendable> Message<M> of(M payload, Tag sender, long enqueuedNanos) {
        return new Message<>(payload, Capability.of(payload), sender, enqueuedNanos);
    }

    /** True if the message came from an agent. */
    public boolean hasSender() {
        return sender != null;
    }
}
