package dev.myrmex.core.coord;

import dev.myrmex.sched.SpinLock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * One resource's row of a {@link LeaseManager}'s table: its current lease, its waiters, how its last lease ended.
 * Every field is guarded by {@link #lock}, held only for short sections that never block.
 */
final class LeaseSlot {
    /** A caller of {@code acquire} waiting its turn. */
    record Waiter(CompletableFuture<Lease> future, String holder, long ttlNanos) {
    }

    Lease current;
    long timerFor; // the expiry a timer is set for; 0: none
    /** How the last lease ended, to say on renew whether it expired or was released. */
    long endedToken;
    long endedAt;
    boolean endedByRelease;
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Calls come from agents on the carriers and from virtual threads: never a parking lock (see SpinLock). */
    final SpinLock lock = new SpinLock();

    void end(long at, boolean released) {
        endedToken = current.token();
        endedAt = at;
        endedByRelease = released;
        current = null;
    }

    /** Why {@code lease}, no longer current, ended. */
    String whyEnded(Lease lease, long now) {
        if (lease.token() == endedToken && endedByRelease) {
            return "was released";
        }
        long end = lease.token() == endedToken ? endedAt : lease.expiresAt();
        return now >= end ? "expired " + Duration.ofNanos(now - end).toMillis() + " ms ago" : "was released";
    }
}
