package dev.myrmex.core;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.coord.Lease;
import dev.myrmex.core.coord.LeaseManager;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.InMemoryJournal;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalSettings;
import dev.myrmex.core.journal.Severity;
import dev.myrmex.core.resilience.Backoff;
import dev.myrmex.core.supervision.RestartPolicy;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.core.task.TaskInfo;
import dev.myrmex.core.task.TaskRequest;
import dev.myrmex.core.task.TaskStatus;
import dev.myrmex.core.testing.RuntimeExtension;
import dev.myrmex.core.time.RuntimeClock;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A whole runtime on a {@link RuntimeClock#manual()} clock: asks, task timeouts, restart backoff and lease expiry
 * happen when the test moves time, minutes at a go, and never before, with no real waiting for any of them. Each
 * "not yet" is proven after a {@linkplain #settle() settle}: the runtime's timer has then turned past that moment.
 */
class ManualClockTest {
    /** A message for agents that never answer, or fail on it. */
    record Note(int n) implements Val {
    }

    private final RuntimeClock.Manual clock = RuntimeClock.manual();
    private final InMemoryJournal journal = new InMemoryJournal();
    @RegisterExtension
    final RuntimeExtension runtimes = new RuntimeExtension();
    private final AgentRuntime rt = runtimes.track(AgentRuntime.builder().workers(2).clock(clock).journal(journal)
            .journalSettings(JournalSettings.DEFAULTS.withSeverity(Severity.DEBUG)).build());
    private final AgentRef<Note> silent;

    ManualClockTest() {
        rt.start();
        silent = rt.spawn("silent", Behaviors.nonBlocking((AgentContext<Note> ctx, Message<Note> m) -> {
        })).ref();
    }

    /**
     * Moves time on by two milliseconds and waits until the runtime's timer has fired a timeout set for one: every
     * timeout due before then has fired too (the timer fires in deadline order, a millisecond at a time).
     */
    private void settle() throws Exception {
        CompletableFuture<Note> marker = silent.ask(new Note(0), Note.class, Duration.ofMillis(1));
        clock.advance(Duration.ofMillis(2));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> marker.get(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, e.getCause());
    }

    @Test
    void anAskTimesOutWhenTheClockPassesItsTimeoutAndNotBefore() throws Exception {
        CompletableFuture<Note> ask = silent.ask(new Note(1), Note.class, Duration.ofMinutes(30));
        clock.advance(Duration.ofMinutes(29));
        settle();
        assertFalse(ask.isDone(), "29 minutes of a 30-minute timeout have passed");
        clock.advance(Duration.ofMinutes(1));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> ask.get(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, e.getCause());
    }

    @Test
    void aTaskTimesOutByTheClock() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        rt.tasks().spawnWorker("worker", Set.of("hang"), task -> {
            started.countDown();
            new CountDownLatch(1).await(); // until interrupted by the timeout
            return null;
        });
        var id = rt.tasks().submit(TaskRequest.of("hang", null).withTimeout(Duration.ofHours(2)));
        assertTrue(started.await(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
        clock.advance(Duration.ofMinutes(119));
        settle();
        assertEquals(TaskStatus.RUNNING, rt.tasks().status(id).orElseThrow().status());
        clock.advance(Duration.ofMinutes(1));
        TaskInfo ended = rt.tasks().await(id, WATCHDOG);
        assertEquals(TaskStatus.TIMEOUT, ended.status());
        assertEquals(clock.instant(), ended.finishedAt(), "the task's times are the runtime clock's too");
    }

    @Test
    void aRestartWaitsOutItsBackoffOnTheClock() throws Exception {
        List<Thread> incarnations = new CopyOnWriteArrayList<>();
        Supervision slow = Supervision.of(RestartPolicy.ALWAYS).withMaxRestarts(3, Duration.ofDays(1))
                .withBackoff(Backoff.fixed(Duration.ofMinutes(10)));
        AgentHandle<Note> h = rt.spawn("phoenix", (DirectContext<Note> ctx) -> {
            incarnations.add(Thread.currentThread());
            ctx.receive();
            throw new IllegalStateException("fails on every message");
        }, SpawnOptions.DEFAULTS.withSupervision(slow));
        Await.until(() -> incarnations.size() == 1, "the first incarnation runs");
        h.ref().signal(new Note(1));
        // The restart is planned as the failed incarnation's thread winds down, on that thread: once it has ended,
        // the backoff's timer is set, 10 minutes from now by the clock.
        assertTrue(incarnations.getFirst().join(WATCHDOG));
        assertEquals(AgentState.RESTARTING, h.metrics().state());
        clock.advance(Duration.ofMinutes(9));
        settle();
        assertEquals(1, incarnations.size(), "9 of the 10 minutes of backoff have passed");
        clock.advance(Duration.ofMinutes(1));
        Await.until(() -> incarnations.size() == 2, "the restart comes once the backoff has passed");
    }

    @Test
    void aLeaseExpiresByTheClockAndTheNextWaiterGetsIt() throws Exception {
        LeaseManager leases = LeaseManager.of(rt);
        Lease first = leases.acquire("db", Duration.ofMinutes(5)).join();
        CompletableFuture<Lease> second = leases.acquire("db", Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(4));
        settle();
        assertFalse(second.isDone(), "the first lease holds for 5 minutes");
        assertTrue(leases.isValid(first));
        clock.advance(Duration.ofMinutes(1));
        Lease next = second.get(WATCHDOG.toSeconds(), TimeUnit.SECONDS);
        assertTrue(next.token() > first.token());
        assertFalse(leases.isValid(first));
    }

    @Test
    void journalEventsAreDatedByTheClock() throws Exception {
        clock.advance(Duration.ofDays(3));
        rt.spawn("dated", Behaviors.nonBlocking((AgentContext<Note> ctx, Message<Note> m) -> {
        }));
        assertTrue(rt.flushJournal(WATCHDOG));
        List<JournalEvent> spawned = journal.query(EventFilter.ALL.types(EventType.AGENT_SPAWNED).agent("dated"), 10);
        assertEquals(1, spawned.size(), spawned.toString());
        JournalEvent dated = spawned.getFirst();
        assertEquals(RuntimeClock.MANUAL_EPOCH.plus(Duration.ofDays(3)), dated.time());
    }
}
