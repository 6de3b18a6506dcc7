package dev.myrmex.core.coord;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.internal.CoreAccess;
import dev.myrmex.core.time.RuntimeClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Model-based: random sequences of acquire, tryAcquire, renew, release, give-up, expireDue and clock moves, run
 * against the {@link LeaseManager} and against a few lines of model. After every step: the manager agrees with the
 * model on who holds what, which futures are granted and which lease is valid; no two leases on a resource are valid
 * at one instant; tokens come from one sequence for all resources, so they strictly increase per resource in grant
 * order (a fresh journal: the sequence starts at 1). One thread; {@link LeaseLincheckTest} checks the same under many.
 */
class LeaseModelTest {
    private static final String[] RESOURCES = {"a", "b"};
    /** Hours: the steps move the clock by whole hours. */
    private static final long HOUR = Duration.ofHours(1).toNanos();

    /** The model of one resource; {@code lastToken} is shared by all: one token sequence for every resource. */
    private static final class Model {
        long token; // current holder's token, 0: free
        long expiresAt;
        final long[] lastToken;
        final ArrayDeque<Integer> waiters = new ArrayDeque<>(); // acquire ids
        final Map<Integer, long[]> granted = new HashMap<>(); // acquire id -> {token}

        Model(long[] lastToken) {
            this.lastToken = lastToken;
        }

        void settle(long now, Map<Integer, Long> ttls, List<Integer> cancelled) {
            if (token != 0 && now >= expiresAt) {
                token = 0;
            }
            while (token == 0 && !waiters.isEmpty()) {
                int id = waiters.poll();
                if (!cancelled.contains(id)) {
                    token = ++lastToken[0];
                    expiresAt = now + ttls.get(id);
                    granted.put(id, new long[] {token});
                }
            }
        }
    }

    @Test
    void theManagerBehavesLikeTheModel() {
        qt().withExamples(60).withShrinkCycles(0)
                .forAll(integers().between(1, 80), integers().between(0, Integer.MAX_VALUE))
                .checkAssert(LeaseModelTest::run);
    }

    private static void run(int steps, int seed) {
        Random random = new Random(seed);
        RuntimeClock.Manual clock = RuntimeClock.manual();
        try (AgentRuntime rt = AgentRuntime.builder().workers(1).clock(clock).build()) {
            rt.start();
            // The runtime's table, but with expiry timers that never fire: the model is of the calls, in which an
            // expired lease ends at the next call on its resource. What the timer adds (a waiter served with no call,
            // on the same clock) is checked by LeaseManagerTest and ManualClockTest; here it would race the steps.
            LeaseManager leases = new LeaseManager(clock, CoreAccess.get().events(rt),
                    CoreAccess.get().fencingTokens(rt), (task, delay) -> { });
            Map<String, Model> models = new HashMap<>();
            long[] lastToken = {0};
            for (String r : RESOURCES) {
                models.put(r, new Model(lastToken));
            }
            List<Lease> issued = new ArrayList<>(); // every lease the manager handed out, renewals included
            Map<String, Long> lastIssuedToken = new HashMap<>();
            List<CompletableFuture<Lease>> futures = new ArrayList<>();
            List<String> futureResource = new ArrayList<>();
            Map<Integer, Long> ttls = new HashMap<>();
            List<Integer> cancelled = new ArrayList<>();
            StringBuilder trace = new StringBuilder();
            for (int step = 0; step < steps; step++) {
                String r = RESOURCES[random.nextInt(RESOURCES.length)];
                Model m = models.get(r);
                long ttl = (1 + random.nextInt(4)) * HOUR;
                long now = clock.nanoTime();
                switch (random.nextInt(7)) {
                    case 0 -> {
                        trace.append("try ").append(r).append("; ");
                        m.settle(now, ttls, cancelled);
                        Optional<Lease> got = leases.tryAcquire(r, Duration.ofNanos(ttl));
                        boolean free = m.token == 0 && m.waiters.isEmpty();
                        assertEquals(free, got.isPresent(), trace.toString());
                        if (free) {
                            m.token = ++m.lastToken[0];
                            m.expiresAt = now + ttl;
                            assertEquals(m.token, got.get().token(), trace.toString());
                            issued.add(got.get());
                        }
                    }
                    case 1 -> {
                        trace.append("acquire ").append(r).append("; ");
                        int id = futures.size();
                        ttls.put(id, ttl);
                        m.settle(now, ttls, cancelled);
                        m.waiters.add(id);
                        m.settle(now, ttls, cancelled);
                        futures.add(leases.acquire(r, Duration.ofNanos(ttl)));
                        futureResource.add(r);
                    }
                    case 2, 3 -> {
                        List<Lease> mine = issued.stream().filter(l -> l.resource().equals(r)).toList();
                        if (mine.isEmpty()) {
                            continue;
                        }
                        Lease l = mine.get(random.nextInt(mine.size()));
                        m.settle(now, ttls, cancelled);
                        boolean current = m.token == l.token();
                        if (random.nextBoolean()) {
                            trace.append("renew ").append(l.token()).append("; ");
                            try {
                                Lease renewed = leases.renew(l, Duration.ofNanos(ttl));
                                assertTrue(current, "renewed an ended lease: " + trace);
                                m.expiresAt = now + ttl;
                                issued.add(renewed);
                            } catch (LeaseExpiredException e) {
                                assertTrue(!current, "refused to renew the current lease: " + trace);
                            }
                        } else {
                            trace.append("release ").append(l.token()).append("; ");
                            assertEquals(current, leases.release(l), trace.toString());
                            if (current) {
                                m.token = 0;
                                m.settle(now, ttls, cancelled);
                            }
                        }
                    }
                    case 4 -> {
                        long by = random.nextInt(3) * HOUR + random.nextInt(1000);
                        trace.append("advance ").append(by).append("; ");
                        clock.advance(Duration.ofNanos(by));
                    }
                    case 5 -> {
                        trace.append("expireDue; ");
                        for (Model each : models.values()) {
                            each.settle(clock.nanoTime(), ttls, cancelled);
                        }
                        leases.expireDue();
                    }
                    case 6 -> {
                        if (futures.isEmpty()) {
                            continue;
                        }
                        int id = random.nextInt(futures.size());
                        trace.append("give up ").append(id).append("; ");
                        if (!futures.get(id).isDone() && futures.get(id).cancel(false)) {
                            assertTrue(models.get(futureResource.get(id)).waiters.contains(id), trace.toString());
                            cancelled.add(id);
                        }
                    }
                    default -> throw new AssertionError();
                }
                check(leases, models, futures, futureResource, issued, lastIssuedToken, clock.nanoTime(), trace);
            }
            rt.stopNow(WATCHDOG);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void check(LeaseManager leases, Map<String, Model> models, List<CompletableFuture<Lease>> futures,
            List<String> futureResource, List<Lease> issued, Map<String, Long> lastIssuedToken, long now,
            StringBuilder trace) {
        for (int id = 0; id < futures.size(); id++) {
            CompletableFuture<Lease> f = futures.get(id);
            long[] modelGrant = models.get(futureResource.get(id)).granted.get(id);
            if (f.isCancelled()) {
                continue;
            }
            assertEquals(modelGrant != null, f.isDone(), "acquire " + id + " granted? " + trace);
            if (modelGrant != null) {
                Lease l = f.join();
                assertEquals(modelGrant[0], l.token(), trace.toString());
                if (!issued.contains(l)) {
                    issued.add(l);
                }
            }
        }
        for (String r : RESOURCES) {
            Model m = models.get(r);
            long valid = issued.stream().filter(l -> l.resource().equals(r)).filter(leases::isValid)
                    .map(Lease::token).distinct().count();
            assertTrue(valid <= 1, "two valid leases on " + r + ": " + trace);
            boolean modelValid = m.token != 0 && now < m.expiresAt;
            assertEquals(modelValid ? 1 : 0, valid, "valid leases on " + r + ": " + trace);
        }
        for (Lease l : issued) { // in the order seen: a new token is above every earlier one
            long last = lastIssuedToken.getOrDefault(l.resource() + "#" + l.token(), -1L);
            if (last == -1L) {
                long highest = lastIssuedToken.getOrDefault(l.resource(), 0L);
                assertTrue(l.token() > highest, "token " + l.token() + " after " + highest + ": " + trace);
                lastIssuedToken.put(l.resource(), l.token());
                lastIssuedToken.put(l.resource() + "#" + l.token(), l.token());
            }
        }
    }
}
