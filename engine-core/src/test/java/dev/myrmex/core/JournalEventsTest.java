package dev.myrmex.core;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.InMemoryJournal;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalSettings;
import dev.myrmex.core.journal.Severity;
import dev.myrmex.core.mailbox.MailboxSettings;
import dev.myrmex.core.mailbox.OverflowPolicy;
import dev.myrmex.core.resilience.Backoff;
import dev.myrmex.core.supervision.RestartPolicy;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a runtime records in its journal as agents live, fail and die. */
class JournalEventsTest {
    record Num(int n) implements Val {
    }

    private static List<EventType> typesOf(AgentRuntime rt, String agent) {
        assertTrue(rt.flushJournal(WATCHDOG));
        return rt.journal().query(EventFilter.ALL.agent(agent), 100).reversed().stream().map(JournalEvent::type)
                .toList();
    }

    @Test
    void anAgentsLifeIsJournalledInOrder() throws Exception {
        InMemoryJournal journal = new InMemoryJournal();
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).journal(journal)
                .journalSettings(JournalSettings.DEFAULTS.withSeverity(Severity.DEBUG)).build()) {
            rt.start();
            AgentHandle<Num> a = rt.spawn("a", Behaviors.<Num>nonBlocking((ctx, m) -> { }));
            a.pause();
            a.resume();
            a.stop();
            a.join(WATCHDOG);
            Await.until(() -> typesOf(rt, "a").size() == 5);
            assertEquals(List.of(EventType.AGENT_SPAWNED, EventType.AGENT_STARTED, EventType.AGENT_PAUSED,
                    EventType.AGENT_RESUMED, EventType.AGENT_STOPPED), typesOf(rt, "a"));
            JournalEvent spawned = journal.query(EventFilter.ALL.types(EventType.AGENT_SPAWNED), 1).getFirst();
            assertEquals("handler", spawned.details());
            assertEquals(Severity.DEBUG, spawned.severity());
        }
        List<JournalEvent> runtime = journal.query(EventFilter.ALL.types(EventType.RUNTIME_STARTED,
                EventType.RUNTIME_STOPPED), 10);
        assertEquals(List.of(EventType.RUNTIME_STOPPED, EventType.RUNTIME_STARTED),
                runtime.stream().map(JournalEvent::type).toList(), "newest first; the stop is written at close");
    }

    @Test
    void failuresAndRestartsAreJournalledWithTheirCause() throws Exception {
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {
            rt.start();
            AgentHandle<Num> flaky = rt.spawn("flaky", Behaviors.<Num>nonBlocking((ctx, m) -> {
                throw new IllegalStateException("bad " + m.payload().n() + " (expected by the test)");
            }), SpawnOptions.DEFAULTS.withSupervision(Supervision.of(RestartPolicy.ON_FAILURE)
                    .withBackoff(Backoff.fixed(java.time.Duration.ZERO))));
            flaky.ref().signal(new Num(1));
            Await.until(() -> typesOf(rt, "flaky").contains(EventType.AGENT_RESTARTED));
            JournalEvent restart = rt.journal().query(EventFilter.ALL.types(EventType.AGENT_RESTARTED), 1)
                    .getFirst();
            assertEquals(Severity.WARNING, restart.severity());
            assertTrue(restart.details().contains("bad 1 (expected by the test)"), restart.details());
            JournalEvent dead = rt.journal().query(EventFilter.ALL.types(EventType.DEAD_LETTER), 1).getFirst();
            assertTrue(dead.details().startsWith("AGENT_FAILED: Num"), dead.details());
            AgentHandle<Num> doomed = rt.spawn("doomed", Behaviors.<Num>nonBlocking((ctx, m) -> {
                throw new IllegalArgumentException("fatal (expected by the test)");
            }));
            doomed.ref().signal(new Num(2));
            assertThrows(AgentFailedException.class, () -> doomed.join(WATCHDOG));
            Await.until(() -> typesOf(rt, "doomed").contains(EventType.AGENT_FAILED));
            JournalEvent failed = rt.journal().query(EventFilter.ALL.types(EventType.AGENT_FAILED), 1).getFirst();
            assertEquals(Severity.ERROR, failed.severity());
            assertTrue(failed.details().contains("fatal (expected by the test)"), failed.details());
            assertFalse(typesOf(rt, "doomed").contains(EventType.AGENT_STARTED), "DEBUG is below the default INFO");
        }
    }

    @Test
    void aDeadLetterFloodIsSampledInTheJournalAndCountedInFull() throws Exception {
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {
            rt.start();
            AgentHandle<Num> gone = rt.spawn("gone", Behaviors.<Num>nonBlocking((ctx, m) -> { }));
            AgentRef<Num> ref = gone.ref();
            gone.stop();
            gone.join(WATCHDOG);
            for (int i = 0; i < 10_000; i++) {
                ref.signal(new Num(i));
            }
            assertEquals(10_000, rt.deadLetters().count());
            assertTrue(rt.flushJournal(WATCHDOG));
            long journalled = rt.journal().query(EventFilter.ALL.types(EventType.DEAD_LETTER), 10_000).size();
            // 100 a second at most; the flood may straddle the turn of a second
            assertTrue(journalled >= 1 && journalled <= 2 * 100 + 2, "journalled " + journalled);
        }
    }

    @Test
    void mailboxOverflowsAreJournalled() throws Exception {
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {
            rt.start();
            java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
            AgentHandle<Num> slow = rt.spawn("slow", Behaviors.<Num>receive((ctx, m) -> hold.await()),
                    SpawnOptions.DEFAULTS.withMailbox(MailboxSettings.DEFAULTS.withCapacity(4)
                            .withOverflow(OverflowPolicy.DROP)));
            for (int i = 0; i < 20; i++) {
                slow.ref().signal(new Num(i));
            }
            hold.countDown();
            Await.until(() -> typesOf(rt, "slow").contains(EventType.MAILBOX_OVERFLOW));
            JournalEvent overflow = rt.journal().query(EventFilter.ALL.types(EventType.MAILBOX_OVERFLOW), 1)
                    .getFirst();
            assertTrue(overflow.details().startsWith("capacity 4, policy DROP"), overflow.details());
        }
    }

    @Test
    void badJournalSettingsAreRefused() {
        assertEquals("journalRingSize must be a power of two: 100", assertThrows(IllegalArgumentException.class,
                () -> JournalSettings.DEFAULTS.withRingSize(100)).getMessage());
        assertEquals("journalWriterSpin must be between 0 and 1 s: PT-0.000001S", assertThrows(
                IllegalArgumentException.class,
                () -> JournalSettings.DEFAULTS.withWriterSpin(Duration.ofNanos(-1_000))).getMessage());
        assertEquals("journalWriterSpin must be between 0 and 1 s: PT2S", assertThrows(IllegalArgumentException.class,
                () -> JournalSettings.DEFAULTS.withWriterSpin(Duration.ofSeconds(2))).getMessage());
    }
}
