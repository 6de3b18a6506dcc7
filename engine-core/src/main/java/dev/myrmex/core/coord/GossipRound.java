package dev.myrmex.core.coord;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.RuntimeClock;
import dev.myrmex.core.Val;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One broadcast of a {@link Gossip} group while it spreads: what each member's fate is, and when it is over.
 *
 * <p>Concurrency: relays on any carrier report into it. {@link #pending} counts rumours sent and not yet settled
 * (handled, or found unsendable); a relay adds the rumours it forwards <em>before</em> settling the one it handles,
 * so the count reaches zero exactly once, when no rumour is in flight or being handled. The thread that takes it to
 * zero runs the repair and completes the report; nothing else touches the fates then. Fates move once, by CAS, from
 * unknown to reached or unreachable, so a member is handed the message at most once.
 */
final class GossipRound<M extends Val> {
    private static final int UNKNOWN = 0;
    private static final int REACHED = 1;
    private static final int UNREACHABLE = 2;

    private final Gossip<M> group;
    private final long id;
    private final M payload;
    private final RuntimeClock clock;
    private final long started;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicIntegerArray fate;
    private final AtomicInteger rounds = new AtomicInteger();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder messages = new LongAdder();
    private final CompletableFuture<GossipReport> future = new CompletableFuture<>();
    private final AtomicBoolean finished = new AtomicBoolean();

    GossipRound(Gossip<M> group, long id, M payload, RuntimeClock clock) {
        this.group = group;
        this.id = id;
        this.payload = payload;
        this.clock = clock;
        this.started = clock.nanoTime();
        this.fate = new AtomicIntegerArray(group.size());
    }

    CompletableFuture<GossipReport> future() {
        return future;
    }

    /** {@code n} rumours are about to be sent. */
    void sending(int n) {
        pending.addAndGet(n);
        messages.add(n);
    }

    /** {@code n} rumours were handled or could not be sent; the last one ends the spreading. */
    void settled(int n) {
        long left = pending.addAndGet(-n);
        if (left == 0) {
            finish();
        } else if (left < 0) {
            throw new IllegalStateException("gossip round " + id + " settled more rumours than it sent");
        }
    }

    /** Member {@code i} was handed the message by its relay, {@code round} hops from the broadcaster. */
    void reached(int i, int round) {
        if (fate.compareAndSet(i, UNKNOWN, REACHED)) {
            rounds.accumulateAndGet(round, Math::max);
        }
    }

    void unreachable(int i) {
        fate.compareAndSet(i, UNKNOWN, UNREACHABLE);
    }

    void duplicate() {
        duplicates.increment();
    }

    /**
     * The group was closed with this broadcast still spreading, and its relays have ended: rumours they never
     * handled (dead letters now) will never settle, so the repair runs now.
     */
    void abandon() {
        finish();
    }

    /** Gossip died out: hands the message to the members it missed, then reports. Runs once. */
    private void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        group.active.remove(id);
        List<AgentRef<M>> members = group.members();
        int repaired = 0;
        int reached = 0;
        List<AgentRef<?>> unreachable = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            if (fate.get(i) == UNKNOWN) {
                messages.increment();
                boolean delivered;
                try {
                    delivered = members.get(i).signal(payload);
                } catch (RuntimeException e) { // a full mailbox: the member cannot take it now
                    delivered = false;
                }
                fate.set(i, delivered ? REACHED : UNREACHABLE);
                repaired += delivered ? 1 : 0;
            }
            if (fate.get(i) == REACHED) {
                reached++;
            } else {
                unreachable.add(members.get(i));
            }
        }
        future.complete(new GossipReport(id, members.size(), reached, repaired, unreachable, rounds.get(),
                duplicates.sum(), messages.sum(), Duration.ofNanos(clock.nanoTime() - started)));
    }
}
