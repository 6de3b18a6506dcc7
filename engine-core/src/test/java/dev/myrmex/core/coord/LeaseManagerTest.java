package dev.myrmex.core.coord;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.InMemoryJournal;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalSettings;
import dev.myrmex.core.journal.Severity;
import dev.myrmex.core.testing.RuntimeExtension;
import dev.myrmex.core.time.RuntimeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LeaseManagerTest {
    private static final Duration TTL = Duration.ofHours(1); // longer than the clock is ever moved: none expires

    private final RuntimeClock.Manual clock = RuntimeClock.manual();
    private final InMemoryJournal journal = new InMemoryJournal();
    @RegisterExtension
    final RuntimeExtension runtimes = new RuntimeExtension();
    private final AgentRuntime rt = runtimes.track(AgentRuntime.builder().workers(2).clock(clock).journal(journal)
            .journalSettings(JournalSettings.DEFAULTS.withSeverity(Severity.DEBUG)).build());
    private final LeaseManager leases;

    LeaseManagerTest() {
        rt.start();
        leases = LeaseManager.of(rt);
    }

    @Test
    void waitersAreServedInOrderWithIncreasingTokens() {
        Lease first = leases.acquire("db", TTL).join();
        assertEquals(1, first.token());
        CompletableFuture<Lease> second = leases.acquire("db", TTL);
        CompletableFuture<Lease> third = leases.acquire("db", TTL);
        assertFalse(second.isDone());
        assertTrue(leases.tryAcquire("db", TTL).isEmpty(), "tryAcquire does not jump the queue");
        assertEquals(2, leases.waiting("db"));
        assertTrue(leases.release(first));
        assertFalse(leases.release(first), "released once");
        assertEquals(2, second.join().token());
        assertFalse(third.isDone());
        assertTrue(leases.release(second.join()));
        assertEquals(3, third.join().token());
        assertEquals(4, leases.acquire("other", TTL).join().token(), "one sequence for every resource");
    }

    /**
     * One table per runtime: every {@code LeaseManager.of} call, from any thread, is the same manager, so of callers
     * racing for "db" exactly one holds it (before, each call made a table of its own, and every caller got "db" with
     * token 1).
     */
    @Test
    void everyCallerOfOfSharesTheRuntimesOneTable() throws Exception {
        int callers = 8;
        CyclicBarrier together = new CyclicBarrier(callers);
        List<LeaseManager> managers = new CopyOnWriteArrayList<>();
        List<Lease> held = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    together.await();
                } catch (InterruptedException | BrokenBarrierException e) {
                    throw new AssertionError(e);
                }
                LeaseManager m = LeaseManager.of(rt);
                managers.add(m);
                m.tryAcquire("db", TTL).ifPresent(held::add);
            }));
        }
        for (Thread t : threads) {
            t.join(WATCHDOG.toMillis());
        }
        assertEquals(1, held.size(), "callers holding db at once: " + held);
        assertEquals(callers, managers.size());
        assertTrue(managers.stream().allMatch(m -> m == leases), "one manager for the runtime");
        LeaseManager another = LeaseManager.of(rt);
        assertEquals(held.getFirst(), another.holder("db").orElseThrow());
        CompletableFuture<Lease> next = another.acquire("db", TTL);
        assertFalse(next.isDone(), "db is held");
        assertTrue(leases.release(held.getFirst()));
        assertTrue(next.join().token() > held.getFirst().token());
    }

    @Test
    void anExpiredLeaseIsInvalidAtOnceAndItsResourceGoesToTheNextWaiter() {
        Lease first = leases.acquire("db", Duration.ofSeconds(10)).join();
        CompletableFuture<Lease> next = leases.acquire("db", TTL);
        clock.advance(Duration.ofSeconds(9));
        assertTrue(leases.isValid(first));
        clock.advance(Duration.ofSeconds(1));
        assertFalse(leases.isValid(first), "invalid at its expiry, before anything else runs");
        // Ended once: by this call, or just before it by the expiry timer, which reads the same (manual) clock.
        int byCall = leases.expireDue();
        assertEquals(2, next.join().token());
        assertEquals(next.join(), leases.holder("db").orElseThrow());
        assertTrue(byCall <= 1, "expired " + byCall + " times by the call");
        assertTrue(rt.flushJournal(WATCHDOG));
        assertEquals(1, journal.query(EventFilter.ALL.types(EventType.LEASE_EXPIRED), 10).size(),
                "expired exactly once, by the call or by the timer");
    }

    @Test
    void renewingExtendsAValidLeaseAndFailsClearlyOnAnEndedOne() {
        Lease lease = leases.tryAcquire("db", Duration.ofSeconds(10)).orElseThrow();
        clock.advance(Duration.ofSeconds(8));
        Lease renewed = leases.renew(lease, Duration.ofSeconds(10));
        assertEquals(lease.token(), renewed.token());
        clock.advance(Duration.ofSeconds(8));
        assertTrue(leases.isValid(renewed), "16 s after the grant, 8 after the renewal");
        clock.advance(Duration.ofSeconds(3));
        LeaseExpiredException expired = assertThrows(LeaseExpiredException.class,
                () -> leases.renew(renewed, Duration.ofSeconds(10)));
        assertTrue(expired.getMessage().contains("expired 1000 ms ago"), expired.getMessage());
        assertEquals(renewed, expired.lease());

        Lease again = leases.tryAcquire("db", TTL).orElseThrow();
        assertEquals(2, again.token());
        assertTrue(leases.release(again));
        LeaseExpiredException released = assertThrows(LeaseExpiredException.class, () -> leases.renew(again, TTL));
        assertTrue(released.getMessage().contains("was released"), released.getMessage());
    }

    @Test
    void aWaiterThatGaveUpIsSkipped() {
        Lease first = leases.acquire("db", TTL).join();
        CompletableFuture<Lease> quitter = leases.acquire("db", TTL);
        CompletableFuture<Lease> patient = leases.acquire("db", TTL);
        quitter.cancel(false);
        leases.release(first);
        assertEquals(2, patient.join().token());
    }

    @Test
    void onTheRealClockAWaiterGetsTheLeaseWhenTheHoldersRunsOut() throws Exception {
        try (AgentRuntime real = AgentRuntime.builder().workers(2).build()) {
            real.start();
            LeaseManager m = LeaseManager.of(real);
            Lease held = m.acquire("db", Duration.ofMillis(20)).join();
            Lease next = m.acquire("db", Duration.ofSeconds(5)).get(WATCHDOG.toSeconds(), TimeUnit.SECONDS);
            assertEquals(held.token() + 1, next.token(), "no call on the resource: the wheel's timer served it");
            assertTrue(real.clock().nanoTime() >= held.expiresAt(), "not before the holder's expiry");
        }
    }

    @Test
    void leaseEventsGoToTheJournal() {
        Lease lease = leases.acquire("db", Duration.ofSeconds(10)).join();
        lease = leases.renew(lease, Duration.ofSeconds(10));
        leases.release(lease);
        Lease other = leases.acquire("cache", Duration.ofSeconds(1)).join();
        clock.advance(Duration.ofSeconds(2));
        leases.expireDue();
        assertTrue(rt.flushJournal(WATCHDOG));
        List<EventType> types = journal.query(EventFilter.ALL.types(EventType.LEASE_ACQUIRED, EventType.LEASE_RENEWED,
                EventType.LEASE_RELEASED, EventType.LEASE_EXPIRED), 10).reversed().stream()
                .map(JournalEvent::type).toList();
        assertEquals(List.of(EventType.LEASE_ACQUIRED, EventType.LEASE_RENEWED, EventType.LEASE_RELEASED,
                EventType.LEASE_ACQUIRED, EventType.LEASE_EXPIRED), types);
        JournalEvent expired = journal.query(EventFilter.ALL.types(EventType.LEASE_EXPIRED), 1).getFirst();
        assertEquals(other.holder(), expired.agent());
        assertTrue(expired.details().contains("resource=cache token=2"), expired.details());
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> leases.acquire("db", Duration.ZERO));
        assertTrue(zero.getMessage().contains("ttl") && zero.getMessage().contains("PT0S"), zero.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> leases.tryAcquire("db", Duration.ofSeconds(-1)));
        assertTrue(negative.getMessage().contains("ttl") && negative.getMessage().contains("PT-1S"));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> leases.acquire("", TTL));
        assertTrue(empty.getMessage().contains("resource"));
        Lease lease = leases.acquire("db", TTL).join();
        assertThrows(IllegalArgumentException.class, () -> leases.renew(lease, Duration.ZERO));
    }
}
