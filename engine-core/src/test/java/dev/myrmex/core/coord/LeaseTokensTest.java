package dev.myrmex.core.coord;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.internal.FencingTokens;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventJournal;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.ForwardingJournal;
import dev.myrmex.core.journal.InMemoryJournal;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalException;
import dev.myrmex.core.journal.JournalRecord;
import dev.myrmex.core.time.RuntimeClock;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Fencing tokens belong to the journal, not to one runtime: they keep increasing across runtimes that open the same
 * journal one after another, also when one dies right after a grant; a token is handed out only once the journal has
 * its reservation; when no token can be reserved, no lease is granted and whoever waits is told why. (The same on
 * disk, with SIGKILL: engine-journal's {@code LeaseTokensOnDiskTest}.)
 */
class LeaseTokensTest {
    private static final Duration TTL = Duration.ofHours(1); // manual clocks that never move: no lease expires

    private static AgentRuntime runtimeOn(EventJournal journal) {
        AgentRuntime rt = AgentRuntime.builder().workers(1).clock(RuntimeClock.manual()).journal(journal).build();
        rt.start();
        return rt;
    }

    /** Grants and releases {@code n} leases on {@code resource}; returns the last token, checking they increase. */
    private static long grantAndRelease(LeaseManager leases, String resource, int n) {
        long last = 0;
        for (int i = 0; i < n; i++) {
            Lease l = leases.tryAcquire(resource, TTL).orElseThrow();
            assertTrue(l.token() > last, "token " + l.token() + " after " + last);
            last = l.token();
            assertTrue(leases.release(l));
        }
        return last;
    }

    @Test
    void tokensAfterARestartOnTheSameJournalAreAboveEveryTokenBefore() throws Exception {
        InMemoryJournal journal = new InMemoryJournal();
        long before;
        try (AgentRuntime first = runtimeOn(journal)) {
            LeaseManager leases = LeaseManager.of(first);
            leases.tryAcquire("db", TTL).orElseThrow(); // still held when the runtime stops
            before = grantAndRelease(leases, "cache", 3);
        }
        long second;
        try (AgentRuntime rt = runtimeOn(journal)) {
            LeaseManager leases = LeaseManager.of(rt);
            Lease db = leases.tryAcquire("db", TTL).orElseThrow();
            assertTrue(db.token() > before, "after the restart: " + db.token() + ", before it up to " + before);
            second = grantAndRelease(leases, "cache", FencingTokens.BLOCK + 10); // past a block: a second reservation
        }
        try (AgentRuntime rt = runtimeOn(journal)) {
            long third = LeaseManager.of(rt).tryAcquire("cache", TTL).orElseThrow().token();
            assertTrue(third > second, "after the second restart: " + third + ", before it up to " + second);
        }
        List<Long> marks = journal.query(EventFilter.ALL.types(EventType.LEASE_TOKENS_RESERVED), 100).reversed()
                .stream().map(FencingTokens::markOf).toList();
        assertEquals(4, marks.size(), "one reservation per start, one more when the second run crossed a block");
        for (int i = 1; i < marks.size(); i++) {
            assertTrue(marks.get(i) > marks.get(i - 1), marks::toString);
        }
    }

    /** The journal as it stood the instant a grant returned is enough: a runtime that died then loses no token. */
    @Test
    void aRuntimeThatDiesRightAfterAGrantNeverHasItsTokenHandedOutAgain() throws Exception {
        InMemoryJournal journal = new InMemoryJournal();
        InMemoryJournal atTheCrash = new InMemoryJournal();
        long granted;
        try (AgentRuntime doomed = runtimeOn(journal)) {
            granted = LeaseManager.of(doomed).tryAcquire("db", TTL).orElseThrow().token();
            List<JournalRecord> records = new ArrayList<>();
            journal.replay(records::add); // what the journal held then: nothing written after the grant
            atTheCrash.append(records);
        }
        try (AgentRuntime next = runtimeOn(atTheCrash)) {
            long token = LeaseManager.of(next).tryAcquire("db", TTL).orElseThrow().token();
            assertTrue(token > granted, token + " after the crash, " + granted + " before it");
        }
    }

    /** A release that leaves its waiter without a token reserves one and serves the waiter before it returns. */
    @Test
    void aWaiterDueWhenABlockRunsOutIsServedBeforeTheReleaseReturns() throws Exception {
        try (AgentRuntime rt = runtimeOn(new InMemoryJournal())) {
            LeaseManager leases = LeaseManager.of(rt);
            grantAndRelease(leases, "warm-up", FencingTokens.BLOCK - 1);
            Lease last = leases.tryAcquire("db", TTL).orElseThrow();
            assertEquals(FencingTokens.BLOCK, last.token(), "the block's last token");
            CompletableFuture<Lease> waiter = leases.acquire("db", TTL);
            assertTrue(leases.release(last));
            assertTrue(waiter.isDone(), "served by the release, in a turn after the reservation");
            assertEquals(FencingTokens.BLOCK + 1, waiter.join().token());
            assertEquals(waiter.join(), leases.holder("db").orElseThrow());
        }
    }

    /** A journal that holds back every batch with a token reservation until {@link #letGo} counts down. */
    private static final class HeldReservations extends ForwardingJournal {
        final CountDownLatch letGo = new CountDownLatch(1);
        volatile boolean holding;
        volatile boolean acknowledged; // a reservation's append has returned

        HeldReservations() {
            super(new InMemoryJournal());
        }

        @Override
        public void append(List<? extends JournalRecord> batch) {
            boolean reservation = batch.stream().anyMatch(LeaseTokensTest::isReservation);
            if (reservation) {
                holding = true;
                try {
                    letGo.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            super.append(batch);
            if (reservation) {
                acknowledged = true;
            }
        }
    }

    private static boolean isReservation(JournalRecord r) {
        return r instanceof JournalEvent e && e.type() == EventType.LEASE_TOKENS_RESERVED;
    }

    @Test
    void aTokenIsHandedOutOnlyOnceTheJournalHasAcknowledgedItsReservation() throws Exception {
        HeldReservations journal = new HeldReservations();
        try (AgentRuntime rt = runtimeOn(journal)) {
            LeaseManager leases = LeaseManager.of(rt);
            AtomicLong token = new AtomicLong();
            AtomicBoolean acknowledgedAtGrant = new AtomicBoolean();
            Thread caller = Thread.ofPlatform().start(() -> {
                token.set(leases.tryAcquire("db", TTL).orElseThrow().token());
                acknowledgedAtGrant.set(journal.acknowledged);
            });
            try {
                Await.until(() -> journal.holding && caller.getState() == Thread.State.TIMED_WAITING
                        || !caller.isAlive(), "the reservation held in the journal's append and the caller parked, "
                        + "or the caller done");
                assertTrue(caller.isAlive(), "the grant returned while the journal held its reservation");
            } finally {
                journal.letGo.countDown();
            }
            caller.join(WATCHDOG.toMillis());
            assertEquals(1, token.get());
            assertTrue(acknowledgedAtGrant.get(), "the token was handed out before the journal acknowledged it");
        }
    }

    /** A journal whose appends of token reservations fail once {@link #failing} is set. */
    private static final class FailingReservations extends ForwardingJournal {
        final AtomicBoolean failing = new AtomicBoolean();

        FailingReservations() {
            super(new InMemoryJournal());
        }

        @Override
        public void append(List<? extends JournalRecord> batch) {
            if (failing.get() && batch.stream().anyMatch(LeaseTokensTest::isReservation)) {
                throw new JournalException("no space left on device (injected)", null);
            }
            super.append(batch);
        }
    }

    @Test
    void whenTheJournalCannotReserveTokensNoLeaseIsGrantedAndWaitersAreTold() throws Exception {
        FailingReservations journal = new FailingReservations();
        try (AgentRuntime rt = runtimeOn(journal)) {
            LeaseManager leases = LeaseManager.of(rt);
            grantAndRelease(leases, "warm-up", FencingTokens.BLOCK - 1);
            Lease last = leases.tryAcquire("db", TTL).orElseThrow();
            assertEquals(FencingTokens.BLOCK, last.token(), "the block's last token");
            CompletableFuture<Lease> waiter = leases.acquire("db", TTL);
            journal.failing.set(true);

            assertTrue(leases.release(last), "the release itself succeeds");
            assertTrue(waiter.isCompletedExceptionally(), "the waiter is told before the release returns");
            CompletionException told = assertThrows(CompletionException.class, waiter::join);
            assertInstanceOf(JournalException.class, told.getCause());
            assertTrue(told.getCause().getMessage().contains("no space left"), told.getCause().getMessage());
            assertEquals(0, leases.waiting("db"), "the waiter is not left queued");
            assertTrue(leases.holder("db").isEmpty());

            JournalException refused = assertThrows(JournalException.class, () -> leases.tryAcquire("db", TTL));
            assertTrue(refused.getMessage().contains("no space left"), refused.getMessage());
            CompletableFuture<Lease> failed = leases.acquire("db", TTL);
            assertTrue(failed.isCompletedExceptionally());
            assertInstanceOf(JournalException.class, assertThrows(CompletionException.class, failed::join).getCause());
        }
    }

    @Test
    void noLeaseIsGrantedBeforeTheRuntimeStartsOrAfterItStopped() throws Exception {
        AgentRuntime rt = AgentRuntime.builder().workers(1).clock(RuntimeClock.manual()).build();
        LeaseManager early = LeaseManager.of(rt);
        IllegalStateException before = assertThrows(IllegalStateException.class, () -> early.tryAcquire("db", TTL));
        assertTrue(before.getMessage().contains("before its runtime starts"), before.getMessage());
        rt.start();
        Lease held = early.tryAcquire("db", TTL).orElseThrow();
        rt.stopNow(WATCHDOG);
        IllegalStateException after = assertThrows(IllegalStateException.class, () -> early.tryAcquire("b", TTL));
        assertTrue(after.getMessage().contains("after its runtime stopped"), after.getMessage());
        CompletableFuture<Lease> late = early.acquire("c", TTL);
        assertTrue(late.isCompletedExceptionally());
        assertInstanceOf(IllegalStateException.class, assertThrows(CompletionException.class, late::join).getCause());
        assertTrue(early.release(held), "what was held can still be released");
    }

    @Test
    void aStartingRuntimeContinuesAboveTheHighestMarkInTheJournal() throws Exception {
        InMemoryJournal journal = new InMemoryJournal();
        journal.append(List.of(reservation("up to 5000"), reservation("up to 3000")));
        try (AgentRuntime rt = runtimeOn(journal)) {
            assertEquals(5001, LeaseManager.of(rt).tryAcquire("db", TTL).orElseThrow().token());
        }
        InMemoryJournal unreadable = new InMemoryJournal();
        unreadable.append(List.of(reservation("up to 5000"), reservation("up to lots")));
        AgentRuntime rt = AgentRuntime.builder().workers(1).journal(unreadable).build();
        JournalException refused = assertThrows(JournalException.class, rt::start);
        assertTrue(refused.getMessage().contains("'up to lots'") && refused.getMessage().contains("fencing tokens"),
                refused.getMessage());
        rt.stopNow(WATCHDOG);
    }

    private static JournalEvent reservation(String details) {
        return JournalEvent.of(Instant.now(), EventType.LEASE_TOKENS_RESERVED, null, details);
    }
}
