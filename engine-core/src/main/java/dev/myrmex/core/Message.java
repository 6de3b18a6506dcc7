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

    /**
     * The sender of this message, as the address to reply to {@code request} with: typed by the reply the request
     * asks for. For replies that do not come at once from the recipient's handler or loop (from a task it handed the
     * work to, or after later messages); {@link AgentContext#reply(Request, Sendable)} is the short form.
     *
     * <pre>{@code
     * case GetBalance g -> {
     *     AgentRef<Balance> replyTo = m.replyTo(g);
     *     ledger.lookup(account).thenAccept(amount -> replyTo.signal(new Balance(amount)));
     * }
     * }</pre>
     *
     * <p>An ask's reply address accepts only that type (a reply of another type fails the ask); an agent that sent a
     * request with {@code signal} declared, by sending it, that it takes the request's replies.
     *
     * @param <R>     the reply the request asks for
     * @param request this message's payload
     * @throws IllegalArgumentException if {@code request} is not this message's payload
     * @throws IllegalStateException    if the message has no sender: it came from outside any agent
     */
    @SuppressWarnings("unchecked")
    public <R extends Sendable> AgentRef<R> replyTo(Request<?, R> request) {
        if (request != payload) {
            throw new IllegalArgumentException("replyTo(" + request + ") names another payload than this message's, "
                    + payload);
        }
        if (!(sender instanceof AgentRef<?> to)) {
            throw new IllegalStateException("the message " + payload + " has no sender to reply to: it came from "
                    + "outside any agent");
        }
        return (AgentRef<R>) to;
    }
}
