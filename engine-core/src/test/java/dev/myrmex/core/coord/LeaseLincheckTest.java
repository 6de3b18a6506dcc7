package dev.myrmex.core.coord;

import dev.myrmex.core.internal.FencingTokens;
import dev.myrmex.core.internal.JournalWriter;
import dev.myrmex.core.internal.RuntimeEvents;
import dev.myrmex.core.internal.TimeoutWheel;
import dev.myrmex.core.journal.InMemoryJournal;
import dev.myrmex.core.time.RuntimeClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ManagedOptions;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The lease table is linearizable: Lincheck runs scenarios of concurrent calls (three threads, a few calls each) and
 * checks that every outcome (tokens granted, who holds what, renewals, releases, queue lengths) is one that some
 * sequential order of the same calls gives in {@link Spec}, a sequential specification of a few lines. So under many
 * threads: one holder per resource, waiters served in order, expiry on the clock, and fencing tokens from one
 * sequence, unique and strictly increasing in each resource's grant order.
 *
 * <p>Two tables: {@link OneResource} moves the clock while calls run (expiry, renewal and release race); on one
 * resource
 * every turn holds the same lock, so each call takes effect at the clock reading of its turn. {@link TwoResources}
 * keeps the clock still and checks that tokens, drawn by two resources' turns at once, still fit one order. (With the
 * clock moving and two resources, a turn may read the clock, then draw its token after a turn on the other resource
 * that read a later time, as if its thread had paused between the two steps: tokens then follow the order of the
 * draws, not of the clock readings. The contract promises per-resource order and uniqueness, not that.)
 *
 * <p>Two strategies for each: model checking explores thread switches at every shared access, lock and park of the
 * table's code, with enough tokens reserved beforehand (a reservation waits for the journal's writer thread, which
 * runs outside Lincheck's control, and would make the runs non-deterministic); stress runs the scenarios on real
 * threads with tokens reserved one at a time through a real {@link JournalWriter} on an {@link InMemoryJournal}, so
 * that every grant reserves (the turn that finds no token parks for the journal holding no lock and runs again; a
 * release whose waiter finds none serves it in a further turn), and reservations race with each other. Budgets: see
 * {@link #check}.
 */
class LeaseLincheckTest {
    /** The clock's step and the ttls' unit: hours (the scenario's clock is its own, not a runtime's). */
    private static final long UNIT = Duration.ofHours(1).toNanos();
    private static final String[] RESOURCES = {"a", "b"};
    /** One journal writer and timer wheel for all scenarios; each scenario has a new table and token sequence. */
    private static final JournalWriter WRITER = new JournalWriter(new InMemoryJournal(4096), 1024,
            Duration.ofMillis(1));
    private static final TimeoutWheel WHEEL = new TimeoutWheel("lease-lincheck-timers");
    /** Tokens per reservation: 1 (stress: every grant reserves), or enough for a whole scenario (model checking). */
    private static volatile int block = 1;

    @AfterAll
    static void close() {
        WRITER.close();
        WHEEL.close();
    }

    @Test
    void oneResourceWithAMovingClockByModelChecking() {
        check(new ModelCheckingOptions(), OneResource.class, OneResource.Spec.class, false);
    }

    @Test
    void oneResourceWithAMovingClockUnderStress() {
        check(new StressOptions(), OneResource.class, OneResource.Spec.class, true);
    }

    @Test
    void twoResourcesByModelChecking() {
        check(new ModelCheckingOptions(), TwoResources.class, Spec.class, false);
    }

    @Test
    void twoResourcesUnderStress() {
        check(new StressOptions(), TwoResources.class, Spec.class, true);
    }

    /**
     * Runs Lincheck on {@code table}. Budget: model checking explores 150 interleavings of each of 15 scenarios, stress
     * runs each of 20 scenarios 300 times; measured on the 2-core machine while other builds ran (load 12): about 50 s
     * per model-checking test, 10 s per stress test. This budget found a non-atomic token draw (two resources granted
     * token 1) by model checking, and a waiter dropped when its grant found no token by stress; raise it to look
     * harder. A failing scenario is reported as found, not minimized (minimizing takes minutes here).
     */
    private static void check(Options<?, ?> options, Class<?> table, Class<?> spec, boolean reserving) {
        block = reserving ? 1 : 64;
        if (options instanceof ManagedOptions<?, ?> m) {
            m.iterations(15).invocationsPerIteration(150);
        } else {
            ((StressOptions) options).iterations(20).invocationsPerIteration(300);
        }
        options.threads(3).actorsPerThread(3).actorsBefore(2).actorsAfter(2)
                .minimizeFailedScenario(false).sequentialSpecification(spec).check(table);
    }

    /** The calls, on a new table per scenario; {@link #resource} maps the {@code resource} parameter to a name. */
    @Param(name = "resource", gen = IntGen.class, conf = "0:1")
    @Param(name = "token", gen = IntGen.class, conf = "1:6")
    @Param(name = "ttl", gen = IntGen.class, conf = "1:2")
    public abstract static class Table {
        final RuntimeClock.Manual clock = RuntimeClock.manual();
        private final LeaseManager leases;

        /** Expiry timers the table set (model checking): an hour or more away, they would not fire in a scenario. */
        private final Queue<Runnable> timers = new ConcurrentLinkedQueue<>(); // two resources' turns add at once

        Table() {
            FencingTokens tokens = new FencingTokens(block);
            tokens.start(0, WRITER);
            boolean modelChecking = block > 1;
            if (modelChecking) {
                tokens.reserve(); // before the scenario: model checking cannot follow the journal's writer thread,
                // nor the wheel's ticker, whose queue a producer may have to wait on
            }
            leases = new LeaseManager(clock, RuntimeEvents.NONE, tokens,
                    modelChecking ? (task, delay) -> timers.add(task) : WHEEL::schedule);
        }

        String resource(int r) {
            return RESOURCES[r];
        }

        /** The token granted, 0 if the resource is held or waited for. */
        @Operation
        public long tryAcquire(@Param(name = "resource") int r, @Param(name = "ttl") int ttl) {
            return leases.tryAcquire(resource(r), Duration.ofNanos(ttl * UNIT)).map(Lease::token).orElse(0L);
        }

        /**
         * Asks for a lease, granted at once or queued. No result: whether its future was done when the call returned
         * cannot be seen atomically from outside (another thread's release may complete it first); what it was granted
         * shows in later calls (holder, release, renew, waiting).
         */
        @Operation
        public void acquire(@Param(name = "resource") int r, @Param(name = "ttl") int ttl) {
            leases.acquire(resource(r), Duration.ofNanos(ttl * UNIT));
        }

        @Operation
        public boolean release(@Param(name = "resource") int r, @Param(name = "token") int token) {
            return leases.release(lease(r, token));
        }

        /** The renewed lease's expiry in units, -1 if it had ended. */
        @Operation
        public long renew(@Param(name = "resource") int r, @Param(name = "token") int token,
                @Param(name = "ttl") int ttl) {
            try {
                return leases.renew(lease(r, token), Duration.ofNanos(ttl * UNIT)).expiresAt() / UNIT;
            } catch (LeaseExpiredException ended) {
                return -1;
            }
        }

        /** The holder's token, 0 if free. */
        @Operation
        public long holder(@Param(name = "resource") int r) {
            return leases.holder(resource(r)).map(Lease::token).orElse(0L);
        }

        @Operation
        public int waiting(@Param(name = "resource") int r) {
            return leases.waiting(resource(r));
        }

        private Lease lease(int r, long token) {
            return new Lease(resource(r), token, "anyone", 0, 0); // release and renew look at resource and token
        }
    }

    /** One resource (every {@code resource} parameter means "a"); the clock moves an hour at a time meanwhile. */
    public static final class OneResource extends Table {
        @Operation
        public void advance() {
            clock.advance(Duration.ofNanos(UNIT));
        }

        @Override
        String resource(int r) {
            return RESOURCES[0];
        }

        /** {@link LeaseLincheckTest.Spec} on one resource. */
        public static final class Spec extends LeaseLincheckTest.Spec {
            @Override
            int index(int r) {
                return 0;
            }
        }
    }

    /** Two resources; the clock stays still. */
    public static final class TwoResources extends Table {
    }

    /** The table, sequentially: what each call must return in some order of the calls. */
    public static class Spec {
        private long now; // in units
        private long lastToken; // one sequence for every resource
        private final long[] token = new long[RESOURCES.length]; // current holder's, 0: free
        private final long[] expiresAt = new long[RESOURCES.length];
        private final List<ArrayDeque<Integer>> waiters = List.of(new ArrayDeque<>(), new ArrayDeque<>()); // ttls

        /** The row a {@code resource} parameter means. */
        int index(int resource) {
            return resource;
        }

        /** Ends an expired lease, then serves the first waiter. */
        private void settle(int r) {
            if (token[r] != 0 && now >= expiresAt[r]) {
                token[r] = 0;
            }
            if (token[r] == 0 && !waiters.get(r).isEmpty()) {
                grant(r, waiters.get(r).poll());
            }
        }

        private long grant(int r, int ttl) {
            token[r] = ++lastToken;
            expiresAt[r] = now + ttl;
            return token[r];
        }

        public long tryAcquire(int resource, int ttl) {
            int r = index(resource);
            settle(r);
            return token[r] == 0 ? grant(r, ttl) : 0;
        }

        public void acquire(int resource, int ttl) {
            int r = index(resource);
            settle(r);
            if (token[r] == 0) {
                grant(r, ttl);
            } else {
                waiters.get(r).add(ttl);
            }
        }

        public boolean release(int resource, int t) {
            int r = index(resource);
            settle(r);
            if (token[r] == 0 || token[r] != t) {
                return false;
            }
            token[r] = 0;
            settle(r);
            return true;
        }

        public long renew(int resource, int t, int ttl) {
            int r = index(resource);
            settle(r);
            if (token[r] == 0 || token[r] != t) {
                return -1;
            }
            expiresAt[r] = now + ttl;
            return expiresAt[r];
        }

        public long holder(int resource) {
            int r = index(resource);
            settle(r);
            return token[r];
        }

        public int waiting(int resource) {
            int r = index(resource);
            settle(r);
            return waiters.get(r).size();
        }

        public void advance() {
            now++;
        }

        /** Equal states: lets Lincheck's verifier merge the orders that lead to the same table. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Spec s && now == s.now && lastToken == s.lastToken && Arrays.equals(token, s.token)
                    && Arrays.equals(expiresAt, s.expiresAt) && queues().equals(s.queues());
        }

        @Override
        public int hashCode() {
            return Objects.hash(now, lastToken, Arrays.hashCode(token), Arrays.hashCode(expiresAt), queues());
        }

        private List<List<Integer>> queues() {
            return waiters.stream().map(List::copyOf).toList();
        }
    }
}
