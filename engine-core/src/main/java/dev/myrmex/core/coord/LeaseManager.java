package dev.myrmex.core.coord;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.internal.AgentCell;
import dev.myrmex.core.internal.CoreAccess;
import dev.myrmex.core.internal.FencingTokens;
import dev.myrmex.core.internal.RuntimeEvents;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalException;
import dev.myrmex.core.time.RuntimeClock;
import dev.myrmex.sched.SpinLock;
import java.time.Duration;
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
 *   <li><b>One table per runtime.</b> Every {@link #of} call for a runtime, from any thread, returns the same manager:
 *       a lease held through one caller's manager is held for every caller.</li>
 *   <li>At most one lease on a resource is valid at any instant of the runtime's clock: a lease is valid from its
 *       grant until it is released or its ttl runs out, whichever comes first.</li>
 *   <li><b>Fencing tokens</b> come from one sequence per journal, shared by every resource: a grant's token is above
 *       every token granted before it, on any resource, by this runtime or by any runtime before it on the same
 *       journal, crashes included (the journal holds the high-water mark). A renewal keeps its token. So a resource's
 *       tokens strictly increase in grant order, but are not consecutive.</li>
 *   <li><b>Granting needs the running runtime's journal.</b> Tokens are reserved in blocks of
 *       {@value FencingTokens#BLOCK}, each journalled ({@code LEASE_TOKENS_RESERVED}) and acknowledged by the journal
 *       before its first token is used: the first grant after a start, and one in each block after it, waits for the
 *       journal (about a millisecond with an idle writer), never holding a lock. If no token can be reserved, no lease
 *       is granted: {@link #tryAcquire} throws, {@link #acquire}'s future fails, and waiters due to be served fail,
 *       with an {@link IllegalStateException} (the runtime is not running) or a {@link JournalException} (the journal
 *       has failed, or did not answer within 30 s). How the tokens survive crashes, and what they cannot survive: see
 *       {@link FencingTokens}.</li>
 *   <li>Waiters ({@link #acquire}) are served in the order they asked, when the lease before them is released or
 *       expires. {@link #tryAcquire} never jumps the queue. A waiter that gives up (its future cancelled or timed
 *       out) is skipped, and a lease handed to it in the same instant is released again.</li>
 *   <li>Expiry follows the runtime's {@link RuntimeClock}. Every call on a resource first ends its expired lease;
 *       a lease that expires while others wait is also ended by a timer on the runtime's timeout wheel, which reads
 *       the same clock: with one that moves only when told ({@link RuntimeClock#manual()}), the timer fires soon
 *       after the move ({@code ManualClockTest}); {@link #expireDue} ends what is due at once.</li>
 *   <li>A resource's row stays once it has been leased (a few dozen bytes). Use a bounded set of resource names.</li>
 *   <li>When the runtime's journal takes them, grants, renewals, releases and expiries are journalled
 *       ({@code LEASE_ACQUIRED} and so on, the holder as the agent).</li>
 * </ul>
 *
 * <p>Thread-safe. Concurrency: each resource's row ({@link LeaseSlot}) is guarded by its own {@link SpinLock}, held
 * only for short sections that never block; futures are completed after leaving it, so callbacks never run under a
 * lease lock. Every call runs in <em>turns</em> ({@link #run}): take the row's lock, end an expired lease and serve
 * the waiters (settle), do the call's work on the settled row, let go. A turn that needs a token when none is reserved
 * changes nothing more: it lets go of the lock, reserves (parking for the journal, with no lock held: a carrier may
 * spin on these locks) and runs again. A call whose work is done but left waiters unserved (a release when the block
 * ran out) serves them in one more turn before it returns. So a call never returns having seen an unsettled row, and
 * the table is linearizable against a sequential specification: per resource with the clock moving, and across
 * resources with the clock still ({@code LeaseLincheckTest}; across resources with the clock moving, tokens follow the
 * order in which turns drew them, which may differ from the order of their clock readings).
 */
public final class LeaseManager {
    /** Where a manager's expiry timers run: the runtime's timeout wheel, on the runtime's clock. */
    @FunctionalInterface
    interface Timers {
        void schedule(Runnable task, Duration delay);
    }

    /** A turn's result meaning: it needed a token, none was reserved, and it changed nothing; run it again. */
    private static final Object RETRY = new Object();

    private final RuntimeClock clock;
    private final RuntimeEvents events;
    private final FencingTokens tokens;
    private final Timers timers;
    private final ConcurrentHashMap<String, LeaseSlot> slots = new ConcurrentHashMap<>();

    private LeaseManager(AgentRuntime runtime) {
        this(runtime.clock(), CoreAccess.get().events(runtime), CoreAccess.get().fencingTokens(runtime),
                (task, delay) -> CoreAccess.get().schedule(runtime, task, delay));
    }

    /** A table on these parts: a runtime's ({@link #of}), or a test's. */
    LeaseManager(RuntimeClock clock, RuntimeEvents events, FencingTokens tokens, Timers timers) {
        this.clock = clock;
        this.events = events;
        this.tokens = tokens;
        this.timers = timers;
    }

    /** The lease table of {@code runtime}, on its clock, timers and journal: the same manager for every call. */
    public static LeaseManager of(AgentRuntime runtime) {
        Objects.requireNonNull(runtime, "runtime");
        return CoreAccess.get().shared(runtime, LeaseManager.class, LeaseManager::new);
    }

    /**
     * A lease on {@code resource} for {@code ttl}, now if it is free and nobody waits, else when the holders and
     * waiters before this call are done with it. The ttl counts from the grant. The future fails with an
     * {@link IllegalStateException} if no lease can be granted (see the class comment).
     *
     * @throws IllegalArgumentException if {@code ttl} is not positive or {@code resource} is empty
     */
    public CompletableFuture<Lease> acquire(String resource, Duration ttl) {
        long ttlNanos = checkTtl(ttl);
        String name = checkResource(resource);
        String holder = currentHolder();
        CompletableFuture<Lease> future = new CompletableFuture<>();
        try {
            run(slot(name), name, true, (slot, now, turn) -> {
                if (slot.current == null) { // settled: a free resource has nobody waiting
                    Lease lease = grant(slot, name, holder, ttlNanos, now, turn);
                    if (lease == null) {
                        return RETRY;
                    }
                    future.complete(lease); // not returned yet: no callback of it can run under the lock
                } else {
                    slot.waiters.add(new LeaseSlot.Waiter(future, holder, ttlNanos));
                    armTimer(slot, name, now);
                }
                return null;
            });
        } catch (IllegalStateException e) { // no token (a JournalException is one too), or a stopped runtime's wheel
            future.completeExceptionally(e);
        }
        return future;
    }

    /**
     * A lease on {@code resource} if it is free and nobody waits for it; empty otherwise.
     *
     * @throws IllegalArgumentException if {@code ttl} is not positive or {@code resource} is empty
     * @throws IllegalStateException    if no lease can be granted: the runtime is not running, or the journal cannot
     *                                  reserve fencing tokens (a {@link JournalException})
     */
    public Optional<Lease> tryAcquire(String resource, Duration ttl) {
        long ttlNanos = checkTtl(ttl);
        String name = checkResource(resource);
        String holder = currentHolder();
        Object lease = run(slot(name), name, true, (slot, now, turn) -> {
            if (slot.current != null) {
                return null;
            }
            Lease granted = grant(slot, name, holder, ttlNanos, now, turn);
            return granted == null ? RETRY : granted;
        });
        return Optional.ofNullable((Lease) lease);
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
        Object outcome = run(slot(lease.resource()), lease.resource(), false, (slot, now, turn) -> {
            Lease c = slot.current;
            if (c != null && c.token() == lease.token()) {
                Lease renewed = new Lease(lease.resource(), lease.token(), c.holder(), now, now + ttlNanos);
                slot.current = renewed;
                events.record(EventType.LEASE_RENEWED, renewed.holder(), describe(renewed));
                return renewed;
            }
            String why = slot.whyEnded(lease, now);
            return c == null ? why : why + " (the resource is held with token " + c.token() + " now)";
        });
        if (outcome instanceof Lease renewed) {
            return renewed;
        }
        throw new LeaseExpiredException(lease, (String) outcome);
    }

    /** Ends a valid lease at once and hands the resource to the next waiter; false if it had ended already. */
    public boolean release(Lease lease) {
        Objects.requireNonNull(lease, "lease");
        String resource = lease.resource();
        return (Boolean) run(slot(resource), resource, false, (slot, now, turn) -> {
            if (slot.current == null || slot.current.token() != lease.token()) {
                return false;
            }
            slot.end(now, true);
            events.record(EventType.LEASE_RELEASED, lease.holder(), describe(lease));
            serveWaiters(slot, resource, now, turn);
            return true;
        });
    }

    /** True if {@code lease} is the resource's current lease and has not run out on the clock. */
    public boolean isValid(Lease lease) {
        LeaseSlot slot = slots.get(lease.resource());
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
        LeaseSlot slot = slots.get(checkResource(resource));
        if (slot == null) {
            return Optional.empty();
        }
        return Optional.ofNullable((Lease) run(slot, resource, false, (s, now, turn) -> s.current));
    }

    /** Callers waiting in {@link #acquire} for {@code resource}. */
    public int waiting(String resource) {
        LeaseSlot slot = slots.get(checkResource(resource));
        if (slot == null) {
            return 0;
        }
        return (Integer) run(slot, resource, false, (s, now, turn) -> s.waiters.size());
    }

    /** Ends every lease that has run out on the clock and serves the waiters; returns how many ended. */
    public int expireDue() {
        int expired = 0;
        for (var e : slots.entrySet()) {
            if ((Boolean) run(e.getValue(), e.getKey(), false, (s, now, turn) -> turn.expired)) {
                expired++;
            }
        }
        return expired;
    }

    // ---- turns ----

    /** A call's work on a settled row, under its lock: the call's result, or {@link #RETRY}. */
    @FunctionalInterface
    private interface Work {
        Object apply(LeaseSlot slot, long now, Turn turn);
    }

    /** What a call's turns leave to do outside the lock, and what they saw. */
    private static final class Turn {
        final List<Grant> grants = new ArrayList<>(); // served waiters, to complete outside the lock
        boolean starved; // this turn needed a token and none was reserved
        boolean expired; // a lease expired in one of the call's turns
    }

    private record Grant(LeaseSlot.Waiter waiter, Lease lease) {
    }

    /**
     * Runs {@code work} on {@code slot}'s settled row, reserving tokens (with no lock held) whenever a turn runs out of
     * them; see the class comment.
     *
     * @param forCaller whether the caller itself wants a lease: if no token can be reserved, it gets the exception;
     *                  other calls go on once the waiters that wanted one have been failed with it
     */
    private Object run(LeaseSlot slot, String resource, boolean forCaller, Work work) {
        Turn turn = new Turn();
        while (true) {
            Object result = RETRY;
            turn.starved = false;
            slot.lock.lock();
            try {
                long now = clock.nanoTime();
                settle(slot, resource, now, turn);
                if (!turn.starved) {
                    result = work.apply(slot, now, turn);
                }
            } finally {
                slot.lock.unlock();
            }
            hand(turn.grants);
            if (!turn.starved) {
                return result;
            }
            try {
                tokens.reserve();
            } catch (RuntimeException e) {
                failStarved(slot, resource, turn, e);
                if (result == RETRY && forCaller) {
                    throw e;
                }
            }
            if (result != RETRY) { // the work is done but left waiters without a lease: serve them before returning
                run(slot, resource, false, (s, now, t) -> null);
                return result;
            }
        }
    }

    /** No token could be reserved: the waiters still left without a lease fail with {@code why}. */
    private void failStarved(LeaseSlot slot, String resource, Turn turn, RuntimeException why) {
        List<LeaseSlot.Waiter> failed = new ArrayList<>();
        turn.starved = false;
        slot.lock.lock();
        try {
            settle(slot, resource, clock.nanoTime(), turn); // another reserver may have made room meanwhile
            if (turn.starved) {
                failed.addAll(slot.waiters);
                slot.waiters.clear();
            }
        } finally {
            slot.lock.unlock();
        }
        hand(turn.grants);
        for (LeaseSlot.Waiter w : failed) {
            w.future().completeExceptionally(why);
        }
    }

    // ---- holding a row's lock ----

    /** Ends the lease if it ran out, then serves waiters. */
    private void settle(LeaseSlot slot, String resource, long now, Turn turn) {
        Lease c = slot.current;
        if (c != null && now >= c.expiresAt()) {
            slot.end(c.expiresAt(), false);
            events.record(EventType.LEASE_EXPIRED, c.holder(), describe(c));
            turn.expired = true;
        }
        serveWaiters(slot, resource, now, turn);
    }

    private void serveWaiters(LeaseSlot slot, String resource, long now, Turn turn) {
        while (slot.current == null && !slot.waiters.isEmpty()) {
            LeaseSlot.Waiter w = slot.waiters.peek();
            if (w.future().isDone()) { // it gave up
                slot.waiters.poll();
                continue;
            }
            Lease lease = grant(slot, resource, w.holder(), w.ttlNanos(), now, turn);
            if (lease == null) {
                return; // no token: it stays first, and the call serves it once one is reserved
            }
            slot.waiters.poll();
            turn.grants.add(new Grant(w, lease));
        }
        if (slot.current != null && !slot.waiters.isEmpty()) {
            armTimer(slot, resource, now);
        }
    }

    /** The resource's new current lease; null (and the turn starved) if no token is reserved. */
    private Lease grant(LeaseSlot slot, String resource, String holder, long ttlNanos, long now, Turn turn) {
        long token = tokens.tryNext();
        if (token == 0) {
            turn.starved = true;
            return null;
        }
        Lease lease = new Lease(resource, token, holder, now, now + ttlNanos);
        slot.current = lease;
        events.record(EventType.LEASE_ACQUIRED, holder, describe(lease));
        return lease;
    }

    /** Makes sure a timer ends the current lease at its expiry while others wait for it. */
    private void armTimer(LeaseSlot slot, String resource, long now) {
        long expiry = slot.current.expiresAt();
        if (slot.timerFor == expiry) {
            return;
        }
        slot.timerFor = expiry;
        timers.schedule(() -> expireLater(resource, expiry), Duration.ofNanos(expiry - now));
    }

    // ---- outside ----

    /** The timer: ends the lease if it ran out; if it was renewed meanwhile, the next turn sets a timer anew. */
    private void expireLater(String resource, long scheduledFor) {
        LeaseSlot slot = slots.get(resource);
        slot.lock.lock();
        try {
            if (slot.timerFor == scheduledFor) {
                slot.timerFor = 0; // so that the turn below arms a timer for a renewed lease
            }
        } finally {
            slot.lock.unlock();
        }
        run(slot, resource, false, (s, now, turn) -> null);
    }

    /** Completes the futures of served waiters; a lease whose waiter gave up meanwhile is released again. */
    private void hand(List<Grant> grants) {
        for (Grant g : grants) {
            if (!g.waiter().future().complete(g.lease())) {
                release(g.lease());
            }
        }
        grants.clear();
    }

    private LeaseSlot slot(String resource) {
        return slots.computeIfAbsent(resource, r -> new LeaseSlot());
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
}
