package dev.myrmex.core.internal;

import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.mailbox.MailboxFullException;
import dev.myrmex.core.spi.Endpoint;
import dev.myrmex.core.spi.Pace;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backpressure for a non-blocking handler, which must never wait on its carrier: the sends a full mailbox did not
 * take, and the mutes (after Pony). A send that finds its recipient full (BLOCK) is kept here, in order; a send that
 * finds it full or at its high watermark mutes the sender: its turn ends after the message it is handling, and it is
 * not scheduled again until every mailbox that muted it has drained to its release level. The next turn first sends
 * what was kept. So no carrier waits, nothing is dropped and the sender's order holds: while anything is kept, every
 * later send of the agent is kept behind it.
 *
 * <p>Two exceptions keep agents that flood each other from stopping each other: an agent is never muted by its own
 * mailbox, and an agent that is itself overloaded (at or above its own high watermark, or with senders waiting for it
 * to drain: see {@link Mailbox#overloaded}) is not kept from running while it has room to keep sends, so it drains its
 * own mailbox while its kept sends wait (Pony's rule). Kept sends are bounded by the agent's own mailbox capacity, and
 * at least {@link #MIN_LIMIT}; an agent whose kept sends reach the bound is muted like any other, overloaded or not,
 * so one that sends at most one per message taken never goes past it. A handler that sends past the bound within one
 * message gets a {@link MailboxFullException}. So a cycle of muted agents forms only when every mailbox and every
 * kept-send bound in it is full (more in flight than the cycle can hold); the block timeout then ends it, and the
 * kept sends still without room become dead letters (MAILBOX_FULL), counted.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #kept}: the agent's turns only (one at a time; the status CAS orders them).
 *       {@link #keptCount} mirrors the size for other threads (is there work for a turn?).</li>
 *   <li>{@link #state}: the number of mailboxes the agent is muted on, plus {@link #PARKED} while its turns are held.
 *       A turn adds one before it mutes itself on a mailbox; that mailbox tells {@link #unmuted} exactly once (any
 *       thread), which takes it off. A turn that ends muted sets PARKED; PARKED is cleared by exactly one CAS, by the
 *       last unmute, by a control request that must be seen now or the mute's timeout ({@link #wake}), or because the
 *       agent's own mailbox became overloaded ({@link #receiverOverloaded}; the parking turn looks again after it
 *       sets PARKED, the sender after it makes the mailbox say overloaded: one of them sees the other), and whoever
 *       clears it submits (or carries on) the next turn. The turn that set it does not run again before that.</li>
 * </ul>
 */
final class PendingSends implements Endpoint.MutedSender {
    private static final Logger LOG = LoggerFactory.getLogger(PendingSends.class);
    /** Kept sends always allowed, whatever the agent's own capacity. */
    static final int MIN_LIMIT = 64;
    private static final int PARKED = 1 << 30;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PendingSends.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A send a full mailbox did not take: where, what, and by when it must be taken (the block timeout). */
    private record Kept(Endpoint<?> to, Message<?> message, long deadline) {
    }

    private final HandlerAgentCell<?> agent;
    private final int limit;
    private final ArrayDeque<Kept> kept = new ArrayDeque<>();
    private volatile int keptCount;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;
    private boolean ended; // the agent ended for good: sends no longer wait here
    private long muteTimeoutNanos; // turns only: the block timeout of the mailbox that muted the agent last
    private volatile int parkGeneration; // tells a park's timer from a later park's

    PendingSends(HandlerAgentCell<?> agent) {
        this.agent = agent;
        this.limit = Math.max(MIN_LIMIT, agent.mailboxCapacity());
    }

    /** A send of the agent's, in one of its turns. True if taken or kept; false if it became a dead letter. */
    <T extends Sendable> boolean send(Endpoint<T> to, Message<T> message) throws InterruptedException {
        if (ended) {
            return to.deliver(message, Pace.NEVER_WAIT); // after the end (a stop hook): nobody would send what waits
        }
        if (!kept.isEmpty()) {
            keep(to, message); // behind what waits: the agent's order holds
            return true;
        }
        return afterOffer(to, message, to.offerNow(message));
    }

    /** What follows an offer of the agent's that {@code to} answered with {@code o}. */
    <T extends Sendable> boolean afterOffer(Endpoint<T> to, Message<T> message, Endpoint.Offer o) {
        return switch (o) {
            case ACCEPTED -> true;
            case DEAD -> false;
            case PRESSURED -> {
                muteOn(to);
                yield true;
            }
            case FULL -> {
                keep(to, message);
                muteOn(to);
                yield true;
            }
        };
    }

    /**
     * First in a turn: sends what was kept, in order, until a recipient is still full (which mutes the agent again,
     * so the turn takes no messages unless it {@linkplain #runsWhileMuted runs while muted}).
     */
    @SuppressWarnings({"unchecked", "rawtypes"}) // each kept message was accepted for its endpoint's type
    void flush() throws InterruptedException {
        while (!kept.isEmpty()) {
            Kept k = kept.peekFirst();
            Endpoint.Offer o = ((Endpoint) k.to()).offerNow(k.message());
            if (o == Endpoint.Offer.FULL && agent.counters().clock().nanoTime() - k.deadline() < 0) {
                muteOn(k.to());
                break;
            }
            if (o == Endpoint.Offer.FULL) { // full for the block timeout: fails as a waiting sender's send would
                ((AgentCell<?>) k.to()).mailboxDeadLetter(k.message(), new MailboxFullException("kept by "
                        + agent.name() + " for a mailbox that stayed full for its block timeout"));
            }
            kept.pollFirst();
            keptCount = kept.size();
            if (o == Endpoint.Offer.PRESSURED) {
                muteOn(k.to());
            }
        }
        if (!roomToKeep()) {
            agent.endTurnAfterThisMessage(); // still no room for a send: this turn takes no message
        }
    }

    boolean hasKept() {
        return keptCount != 0;
    }

    /**
     * The end of a muted turn: holds the agent's turns until the last unmute. Returns false if every mute has already
     * ended (the turn carries on as usual); true if parked, the next turn then comes from whoever clears PARKED.
     */
    boolean park() {
        int generation = parkGeneration + 1;
        parkGeneration = generation; // before PARKED: a timer of an earlier park must not end this one
        int now = (int) STATE.getAndAdd(this, PARKED) + PARKED;
        if (now != PARKED && runsWhileMuted()) {
            // Overloaded since the turn looked: the sender that made it so read STATE before our PARKED (else it
            // clears PARKED and submits the turn), so the turn carries on unless that sender has taken it over.
            return !clearParked();
        }
        if (now != PARKED) {
            // Muted for at most the block timeout, like a waiting sender: then the next turn tries again, and a
            // kept send whose mailbox is still full becomes a dead letter. So a cycle of full mailboxes cannot hold
            // its agents for ever.
            agent.afterTimeout(() -> {
                if (parkGeneration == generation) {
                    wake();
                }
            }, muteTimeoutNanos);
            return true;
        }
        return !STATE.compareAndSet(this, PARKED, 0); // lost: a wake took it and submitted the turn
    }

    /** Whether the agent is muted on some mailbox now. */
    boolean muted() {
        return ((int) STATE.getVolatile(this) & ~PARKED) > 0;
    }

    @Override
    public void unmuted() {
        int now = (int) STATE.getAndAdd(this, -1) - 1;
        if (now == PARKED) {
            if (STATE.compareAndSet(this, PARKED, 0)) {
                agent.resumeAfterMute();
            }
        } else if (now == 0 && hasKept()) {
            agent.wantTurn(); // not parked (overloaded, or never muted by a recipient): a turn sends what waits
        }
    }

    /**
     * A control request must be seen now (a stop), the mute timed out, or the agent's own mailbox became overloaded:
     * the parked agent runs a turn.
     */
    void wake() {
        if (clearParked()) {
            agent.resumeAfterMute();
        }
    }

    /**
     * The agent's own mailbox began to slow its senders down (any thread): a parked agent that has room to keep sends
     * runs again, to drain it, as an overloaded agent does when it is muted. Without that room it stays parked: then
     * the cycle is full, and the mute's timeout ends it.
     */
    void receiverOverloaded() {
        if (((int) STATE.getVolatile(this) & PARKED) != 0 && keptCount < limit) {
            wake();
        }
    }

    /** Takes PARKED off; true if this call did (exactly one caller then submits or carries on the turn). */
    private boolean clearParked() {
        int s = (int) STATE.getVolatile(this);
        while ((s & PARKED) != 0) {
            if (STATE.compareAndSet(this, s, s & ~PARKED)) {
                return true;
            }
            s = (int) STATE.getVolatile(this);
        }
        return false;
    }

    /**
     * The agent ends for good: each kept send is offered once more, and one that still finds no room becomes a dead
     * letter (MAILBOX_FULL) rather than wait on a thread that may be a carrier.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void agentEnded() {
        ended = true;
        Kept k;
        while ((k = kept.pollFirst()) != null) {
            try {
                if (((Endpoint) k.to()).offerNow(k.message()) == Endpoint.Offer.FULL
                        && k.to() instanceof AgentCell<?> c) {
                    c.mailboxDeadLetter(k.message(), new MailboxFullException("kept by " + agent.name()
                            + " for a full mailbox, which was still full when the sender ended"));
                }
            } catch (InterruptedException | RuntimeException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt(); // the end goes on; whoever interrupted still sees it
                }
                if (k.to() instanceof AgentCell<?> c) {
                    c.mailboxDeadLetter(k.message(), e);
                } else { // a reply address or a host: no mailbox to dead-letter it in, so it is said here
                    LOG.error("agent {} ended with a kept send to {} that could not be delivered", agent.name(),
                            k.to(), e);
                }
            }
        }
        keptCount = 0;
    }

    private void keep(Endpoint<?> to, Message<?> message) {
        if (!roomToKeep()) {
            throw new MailboxFullException("agent " + agent.name() + " keeps sending while " + limit
                    + " of its sends wait for room in full mailboxes (the most it may keep: its own mailbox capacity,"
                    + " at least " + MIN_LIMIT + "); return from the handler so that it can be muted");
        }
        kept.addLast(new Kept(to, message, agent.counters().clock().nanoTime() + to.muteTimeoutNanos()));
        keptCount = kept.size();
        if (!roomToKeep()) {
            agent.endTurnAfterThisMessage(); // no room for the next message's send: muted, overloaded or not
        }
    }

    /**
     * Whether the agent keeps taking messages while muted: only if it is overloaded itself and has room to keep the
     * sends they make. Turns only.
     */
    boolean runsWhileMuted() {
        return agent.overloaded() && roomToKeep();
    }

    /** Whether one more send may be kept (the agent's turns only; other threads read {@link #keptCount}). */
    private boolean roomToKeep() {
        return kept.size() < limit;
    }

    /**
     * Mutes the agent on {@code to}, unless that is its own mailbox; it stops taking messages unless it
     * {@linkplain #runsWhileMuted runs while muted}.
     */
    private void muteOn(Endpoint<?> to) {
        if (to == agent) {
            return; // its own turns drain it
        }
        STATE.getAndAdd(this, 1); // before the mailbox can tell us
        if (!to.mute(this)) {
            STATE.getAndAdd(this, -1);
            return;
        }
        muteTimeoutNanos = to.muteTimeoutNanos();
        agent.counters().muted();
        if (!runsWhileMuted()) {
            agent.endTurnAfterThisMessage();
        }
    }
}
