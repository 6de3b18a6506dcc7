package dev.myrmex.core.coord;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.Message;
import dev.myrmex.core.Val;
import dev.myrmex.core.internal.CoreAccess;
import dev.myrmex.core.spi.Endpoint;
import dev.myrmex.core.spi.Pace;
import dev.myrmex.core.time.RuntimeClock;
import dev.myrmex.sched.SpinLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One broadcast of a {@link Gossip} group as its broadcaster sees it: the receipts the relays send back, and the end.
 *
 * <p>Concurrency: receipts arrive by message at this round's address ({@link #receipts}), delivered on the thread of
 * the relay that sends them (any carrier); {@link #started} comes from the broadcasting thread, {@link #abandon} from
 * {@link Gossip#close}. All of them update the state under this round's {@link SpinLock}, in short sections that never
 * block. The round ends once: when the credit is whole after {@code started} (every rumour handled, every receipt in:
 * see {@link CreditSum}), or at {@code abandon}. Whoever ends it sets {@code over} inside the lock, then runs the
 * repair and completes the report outside it; nothing writes the state after {@code over}. No receipt can come
 * after the end (all are in, or every relay has ended), and one that did would be ignored.
 *
 * <p>Exactly once: a relay hands its member the broadcast at most once, and sends its {@code DELIVERED} receipt in
 * the same turn. The repair runs only when every receipt is in, or when every relay has ended, so a member without a
 * {@code DELIVERED} receipt was never handed the broadcast by its relay and never will be: the repair's delivery is
 * its only one. A second {@code DELIVERED} for one member would break that; it fails the report.
 */
final class GossipRound<M extends Val> {
    private static final byte UNKNOWN = 0; // no receipt from its relay yet: gossip has not reached it
    private static final byte GOSSIPED = 1;
    private static final byte UNREACHABLE = 2;
    private static final byte REPAIRED = 3;

    private final long id;
    private final M payload;
    private final List<AgentRef<M>> members;
    private final boolean repair;
    private final RuntimeClock clock;
    private final Runnable onEnd;
    private final long startedNanos;
    private final CompletableFuture<GossipReport> future = new CompletableFuture<>();
    private final SpinLock lock = new SpinLock(); // receipts come on carriers: never a parking lock (see SpinLock)
    private final byte[] fate; // guarded by lock until over, as are the fields below; then the ender's alone
    private final int[] earliest; // the earliest round each member's relay heard the broadcast in; 0: never
    private final CreditSum credit = new CreditSum();
    private long rumours;
    private long receipts;
    private long duplicates;
    private boolean started; // the broadcaster has sent its pushes and returned its own part of the credit
    private boolean over;
    private IllegalStateException failure; // a receipt the protocol cannot send: ends the round

    /** @param onEnd run once when the round ends, before the repair (the group forgets the round) */
    GossipRound(long id, M payload, List<AgentRef<M>> members, boolean repair, RuntimeClock clock, Runnable onEnd) {
        this.id = id;
        this.payload = payload;
        this.members = members;
        this.repair = repair;
        this.clock = clock;
        this.onEnd = onEnd;
        this.startedNanos = clock.nanoTime();
        this.fate = new byte[members.size()];
        this.earliest = new int[members.size()];
    }

    CompletableFuture<GossipReport> future() {
        return future;
    }

    /** Where the relays' receipts go: the endpoint of this broadcast's address. */
    Endpoint<GossipReceipt> receipts() {
        return (Message<GossipReceipt> message, Pace pace) -> {
            receipt(message.payload());
            return true;
        };
    }

    /**
     * The broadcaster has pushed its rumours ({@code sent} of them reached a relay's mailbox) and returns its own
     * part of the credit, {@code units} parts of {@code 2^-credit}.
     */
    void started(int creditExponent, long units, int sent) {
        boolean end;
        lock.lock();
        try {
            if (over) {
                return;
            }
            rumours += sent;
            started = true;
            end = settle(creditExponent, units);
        } finally {
            lock.unlock();
        }
        if (end) {
            end();
        }
    }

    private void receipt(GossipReceipt r) {
        boolean end;
        lock.lock();
        try {
            if (over) {
                return;
            }
            receipts++;
            rumours += r.sent();
            int i = r.relay();
            switch (r.outcome()) {
                case DELIVERED -> {
                    if (fate[i] == UNKNOWN) {
                        fate[i] = GOSSIPED;
                        earlier(i, r.hop());
                    } else {
                        failure = new IllegalStateException("the relay of " + members.get(i) + " reported a "
                                + "second delivery of gossip broadcast " + id);
                    }
                }
                case DUPLICATE -> {
                    duplicates++;
                    earlier(i, r.hop());
                }
                case UNREACHABLE -> fate[i] = fate[i] == UNKNOWN ? UNREACHABLE : fate[i];
            }
            end = settle(r.credit(), r.units());
        } finally {
            lock.unlock();
        }
        if (end) {
            end();
        }
    }

    private void earlier(int i, int hop) {
        if (earliest[i] == 0 || hop < earliest[i]) {
            earliest[i] = hop;
        }
    }

    /** Adds returned credit; true if the round ends now (then {@code over} is set). Under the lock. */
    private boolean settle(int creditExponent, long units) {
        if (failure == null) {
            try {
                credit.add(creditExponent, units);
            } catch (IllegalStateException | IllegalArgumentException e) {
                failure = new IllegalStateException("gossip broadcast " + id + ": " + e.getMessage(), e);
            }
        }
        over = failure != null || started && credit.whole();
        return over;
    }

    /** After {@code over} was set, outside the lock: the report, or the protocol failure. */
    private void end() {
        if (failure != null) {
            onEnd.run();
            future.completeExceptionally(failure);
        } else {
            finish();
        }
    }

    /**
     * Every relay has ended (the group was closed) with this broadcast still spreading: rumours they never handled
     * are dead letters now, and their credit will not come back, so the round ends here.
     */
    void abandon() {
        lock.lock();
        try {
            if (over) {
                return;
            }
            over = true;
        } finally {
            lock.unlock();
        }
        finish();
    }

    /** Repairs if asked to, then reports. Runs once, after {@code over} was set; the state is this thread's now. */
    private void finish() {
        onEnd.run();
        int gossiped = 0;
        int repaired = 0;
        int rounds = 0;
        long repairs = 0;
        List<AgentRef<?>> unreachable = new ArrayList<>();
        List<AgentRef<?>> missed = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            if (fate[i] == UNKNOWN && repair) {
                repairs++;
                fate[i] = repairDelivered(members.get(i)) ? REPAIRED : UNREACHABLE;
            }
            switch (fate[i]) {
                case GOSSIPED -> {
                    gossiped++;
                    rounds = Math.max(rounds, earliest[i]);
                }
                case REPAIRED -> repaired++;
                case UNREACHABLE -> unreachable.add(members.get(i));
                default -> missed.add(members.get(i));
            }
        }
        future.complete(new GossipReport(id, members.size(), gossiped, repaired, unreachable, missed, rounds,
                rumours, receipts, repairs, duplicates, Duration.ofNanos(clock.nanoTime() - startedNanos)));
    }

    /** The repair's direct delivery, sent with no sender (as from outside any agent): false if refused. */
    private boolean repairDelivered(AgentRef<M> member) {
        try {
            return CoreAccess.get().send(member, payload, null);
        } catch (RuntimeException e) { // a full mailbox, or an out-of-process member cannot take it
            return false;
        }
    }
}
