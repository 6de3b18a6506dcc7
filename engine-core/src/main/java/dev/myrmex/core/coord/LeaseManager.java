package dev.myrmex.core.coord;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.RuntimeClock;
import dev.myrmex.core.internal.AgentCell;
import dev.myrmex.core.internal.CoreAccess;
import dev.myrmex.core.internal.RuntimeEvents;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.sched.SpinLock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Leases: time-limited, exclusive rights to named resources, with fencing tokens.
 *
 * <pre>{@code
 * LeaseManager leases = LeaseManager.of(rt);
 * Lease lease = leases.acquire("orders-db", Duration.ofSeconds(5)).join();   // waits its turn
 * store.write(batch, lease.token());          // the store refuses tokens lower than one it has seen
 * lease = leases.renew(lease, Duration.ofSeconds(5));   // LeaseExpiredException if it ran out meanwhile
 * leases.release(lease);
 * }</pre>
 *
 * <ul>
 *   <li>At most one lease on a resource is valid at any instant of the runtime's clock: a lease is valid from its
 *       grant until it is released or its ttl runs out, whichever comes first.</li>
 *   <li>Fencing tokens strictly increase per resource, over every grant; a renewal keeps its token.</li>
 *   <li>Waiters ({@link #acquire}) are served in the order they asked, when the lease before them is released or
 *       expires. {@link #tryAcquire} never jumps the queue. A waiter that gives up (its future cancelled or timed
 *       out) is skipped, and a lease handed to it in the same instant is released again.</li>
 *   <li>Expiry follows the runtime's {@link RuntimeClock}. Every call on a resource first ends its expired lease;
 *       a lease that expires while others wait is also ended by a timer on the runtime's timeout wheel. With a
 *       clock that moves only when told ({@link RuntimeClock#manual()}), call {@link #expireDue} after moving it.</li>
 *   <li>A resource's record stays once it has been leased (a few dozen bytes): its last token must outlive its
 *       leases, or a new grant could reuse a token. Use a bounded set of resource names.</li>
 *   <li>When the runtime's journal takes them, grants, renewals, releases and expiries are journalled
 *       ({@code LEASE_ACQUIRED} and so on, the holder as the agent).</li>
 * </ul>
 *
 * <p>Thread-safe. Concurrency: each resource's state is guarded by its own {@link SpinLock}, held only for short,
 * non-blocking sections; futures are completed after leaving it, so callbacks never run under a lease lock.
 */
public final class LeaseManager {
    private final AgentRuntime runtime;
    private final RuntimeClock clock;
    private final RuntimeEvents events;
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

    private LeaseManager(AgentRuntime runtime) {
        this.runtime = runtime;
        this.clock = runtime.clock();
        this.events = CoreAccess.get().events(runtime);
    }

    /** Leases on {@code runtime}'s clock, timers and journal. */
    public static LeaseManager of(AgentRuntime runtime) {
        return new LeaseManager(Objects.requireNonNull(runtime, "runtime"));
    }

    /**
     * A lease on {@code resource} for {@code ttl}, now if it is free and nobody waits, else when the holders and
     * waiters before this call are done with it. The ttl counts from the grant.
     *
     * @throws IllegalArgumentException if {@code ttl} is not positive or {@code resource} is empty
     */
    public CompletableFuture<Lease> acquire(String resource, Duration ttl) {
        long ttlNanos = checkTtl(ttl);
        Slot slot = slot(checkResource(resource));
        String holder = currentHolder();
        List<Grant> grants = new ArrayList<>();
        CompletableFuture<Lease> future = new CompletableFuture<>();
        slot.lock.lock();
        try {
            long now = clock.nanoTime();
            settle(slot, resource, now, grants);
            if (slot.current == null) { // settled: a free resource has nobody waiting
                future.complete(grant(slot, resource, holder, ttlNanos, now));
            } else {
                slot.waiters.add(new Waiter(future, holder, ttlNanos));
                armTimer(slot, resource, now);
            }
        } finally {
            slot.lock.unlock();
        }
        hand(grants);
        return future;
    }

    /**
     * A lease on {@code resource} if it is free and nobody waits for it; empty otherwise.
     *
     * @throws IllegalArgumentException if {@code ttl} is not positive or {@code resource} is empty
     */
    public Optional<Lease> tryAcquire(String resource, Duration ttl) {
        long ttlNanos = checkTtl(ttl);
        Slot slot = slot(checkResource(resource));
        List<Grant> grants = new ArrayList<>();
        Lease lease = null;
        slot.lock.lock();
        try {
            long now = clock.nanoTime();
            settle(slot, resource, now, grants);
            if (slot.current == null) { // settled: a free resource has nobody waiting
                lease = grant(slot, resource, currentHolder(), ttlNanos, now);
            }
        } finally {
            slot.lock.unlock();
        }
        hand(grants);
        return Optional.ofNullable(lease);
    }

    /**
     * Extends a valid lease to end {@code ttl} from now; same token.
     *
     * @throws LeaseExpiredException    if the lease expired, was released, or the resource has another holder
     * @throws IllegalArgumentException if {@code ttl} is not positive
     */
    public Lease renew(Lease lease, Duration ttl) {
        Objects.requireNonNull(lease, "lease");
        long ttlNanos = checkTtl(ttl);
        Slot slot = slot(lease.resource());
        List<Grant> grants = new ArrayList<>();
        Lease renewed = null;
        String why = null;
        slot.lock.lock();
        try {
            long now = clock.nanoTime();
            settle(slot, lease.resource(), now, grants);
            if (slot.current != null && slot.current.token() == lease.token()) {
                renewed = new Lease(lease.resource(), lease.token(), slot.current.holder(), now, now + ttlNanos);
                slot.current = renewed;
                events.record(EventType.LEASE_RENEWED, renewed.holder(), describe(renewed));
            } else {
                why = slot.whyEnded(lease, now);
            }
            if (renewed == null && slot.current != null) {
                why += " (the resource is held with token " + slot.current.token() + " now)";
            }
        } finally {
            slot.lock.unlock();
        }
        hand(grants);
        if (renewed == null) {
            throw new LeaseExpiredException(lease, why);
        }
        return renewed;
    }

    /** Ends a valid lease at once and hands the resource to the next waiter; false if it had ended already. */
    public boolean release(Lease lease) {
        Objects.requireNonNull(lease, "lease");
        Slot slot = slot(lease.resource());
        List<Grant> grants = new ArrayList<>();
        boolean released = false;
        slot.lock.lock();
        try {
            long now = clock.nanoTime();
            settle(slot, lease.resource(), now, grants);
            if (slot.current != null && slot.current.token() == lease.token()) {
                slot.end(now, true);
                events.record(EventType.LEASE_RELEASED, lease.holder(), describe(lease));
                released = true;
                serveWaiters(slot, lease.resource(), now, grants);
            }
        } finally {
            slot.lock.unlock();
        }
        hand(grants);
        return released;
    }

    /** True if {@code lease} is the resource's current lease and has not run out on the clock. */
    public boolean isValid(Lease lease) {
        Slot slot = slots.get(lease.resource());
        if (slot == null) {
            return false;
        }
        slot.lock.lock();
        try {
            Lease c = slot.current;
            return c != null && c.token() == lease.token() && clock.nanoTime() < c.expiresAt();
        } finally {
            slot.lock.unlock();
        }
    }

    /** The valid lease on {@code resource}, if any. */
    public Optional<Lease> holder(String resource) {
        Slot slot = slots.get(checkResource(resource));
        if (slot == null) {
            return Optional.empty();
        }
        List<Grant> grants = new ArrayList<>();
        Lease c;
        slot.lock.lock();
        try {
            settle(slot, resource, clock.nanoTime(), grants);
            c = slot.current;
        } finally {
            slot.lock.unlock();
        }
        hand(grants);
        return Optional.ofNullable(c);
    }

    /** Callers waiting in {@link #acquire} for {@code resource}. */
    public int waiting(String resource) {
        Slot slot = slots.get(checkResource(resource));
        if (slot == null) {
            return 0;
        }
        slot.lock.lock();
        try {
            return slot.waiters.size();
        } finally {
            slot.lock.unlock();
        }
    }

    /** Ends every lease that has run out on the clock and serves the waiters; returns how many ended. */
    public int expireDue() {
        int expired = 0;
        List<Grant> grants = new ArrayList<>();
        for (var e : slots.entrySet()) {
            Slot slot = e.getValue();
            slot.lock.lock();
            try {
                if (settle(slot, e.getKey(), clock.nanoTime(), grants)) {
                    expired++;
                }
            } finally {
                slot.lock.unlock();
            }
        }
        hand(grants);
        return expired;
    }

    // ---- holding a slot's lock ----

    /** Ends the lease if it ran out, then serves waiters; true if one expired. */
    private boolean settle(Slot slot, String resource, long now, List<Grant> grants) {
        boolean expired = false;
        Lease c = slot.current;
        if (c != null && now >= c.expiresAt()) {
            slot.end(c.expiresAt(), false);
            events.record(EventType.LEASE_EXPIRED, c.holder(), describe(c));
            expired = true;
        }
        serveWaiters(slot, resource, now, grants);
        return expired;
    }

    private void serveWaiters(Slot slot, String resource, long now, List<Grant> grants) {
        while (slot.current == null && !slot.waiters.isEmpty()) {
            Waiter w = slot.waiters.poll();
            if (!w.future.isDone()) { // else it gave up
                grants.add(new Grant(w, grant(slot, resource, w.holder, w.ttlNanos, now)));
            }
        }
        if (slot.current != null && !slot.waiters.isEmpty()) {
            armTimer(slot, resource, now);
        }
    }

    private Lease grant(Slot slot, String resource, String holder, long ttlNanos, long now) {
        Lease lease = new Lease(resource, ++slot.lastToken, holder, now, now + ttlNanos);
        slot.current = lease;
        events.record(EventType.LEASE_ACQUIRED, holder, describe(lease));
        return lease;
    }

    /** Makes sure a timer ends the current lease at its expiry while others wait for it. */
    private void armTimer(Slot slot, String resource, long now) {
        long expiry = slot.current.expiresAt();
        if (slot.timerFor == expiry) {
            return;
        }
        slot.timerFor = expiry;
        CoreAccess.get().schedule(runtime, () -> expireLater(resource, expiry), Duration.ofNanos(expiry - now));
    }

    /** The timer: ends the lease if it ran out; if it was renewed meanwhile, waits for the new expiry. */
    private void expireLater(String resource, long scheduledFor) {
        Slot slot = slots.get(resource);
        List<Grant> grants = new ArrayList<>();
        slot.lock.lock();
        try {
            if (slot.timerFor == scheduledFor) {
                slot.timerFor = 0;
            }
            settle(slot, resource, clock.nanoTime(), grants);
        } finally {
            slot.lock.unlock();
        }
        hand(grants);
    }

    // ---- outside ----

    /** Completes the futures of served waiters; a lease whose waiter gave up meanwhile is released again. */
    private void hand(List<Grant> grants) {
        for (Grant g : grants) {
            if (!g.waiter.future.complete(g.lease)) {
                release(g.lease);
            }
        }
    }

    private Slot slot(String resource) {
        return slots.computeIfAbsent(resource, r -> new Slot());
    }

    private static String describe(Lease lease) {
        return "resource=" + lease.resource() + " token=" + lease.token() + " ttl=" + lease.ttl();
    }

    private static String currentHolder() {
        AgentCell<?> agent = AgentCell.current();
        return agent != null ? agent.ref().name() : Thread.currentThread().getName();
    }

    private static long checkTtl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        return ttl.toNanos();
    }

    private static String checkResource(String resource) {
        Objects.requireNonNull(resource, "resource");
        if (resource.isEmpty()) {
            throw new IllegalArgumentException("resource must not be empty");
        }
        return resource;
    }

    private record Waiter(CompletableFuture<Lease> future, String holder, long ttlNanos) {
    }

    private record Grant(Waiter waiter, Lease lease) {
    }

    /** One resource's state; guarded by its lock. */
    private static final class Slot {
        Lease current;
        long lastToken;
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
}
