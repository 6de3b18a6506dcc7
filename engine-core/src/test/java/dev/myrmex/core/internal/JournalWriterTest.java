package dev.myrmex.core.internal;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.ForwardingJournal;
import dev.myrmex.core.journal.InMemoryJournal;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.JournalException;
import dev.myrmex.core.journal.JournalRecord;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The journal writer: order, batching, and the full-ring policy (drop, count, say so in the journal). */
class JournalWriterTest {

    /** An in-memory journal whose appends can be held up, or made to fail. */
    private static final class Gate extends ForwardingJournal {
        final CountDownLatch appending = new CountDownLatch(1);
        volatile CountDownLatch release = new CountDownLatch(0);
        volatile boolean fail;
        volatile Error failWith; // instead of the IllegalStateException

        Gate() {
            super(new InMemoryJournal(1_000_000));
        }

        @Override
        public void append(List<? extends JournalRecord> batch) {
            appending.countDown();
            try {
                assertTrue(release.await(WATCHDOG.toSeconds(), TimeUnit.SECONDS), "never released");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (fail) {
                if (failWith != null) {
                    throw failWith;
                }
                throw new IllegalStateException("disk full (expected by the test)");
            }
            super.append(batch);
        }

        List<JournalEvent> events() {
            List<JournalEvent> out = new ArrayList<>();
            forEach(EventFilter.ALL, out::add);
            return out;
        }
    }

    /** With and without the writer's spin: the wait strategy changes, the delivery must not. */
    @ParameterizedTest
    @ValueSource(longs = {0, 50_000})
    void everyRecordArrivesOnceAndEachPublishersOrderHolds(long spinNanos) throws InterruptedException {
        Gate journal = new Gate();
        try (JournalWriter writer = new JournalWriter(journal, 1024, Duration.ofNanos(spinNanos))) {
            Thread[] publishers = new Thread[4];
            for (int p = 0; p < publishers.length; p++) {
                String agent = "publisher-" + p;
                publishers[p] = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 25_000; i++) {
                        while (!writer.event(EventType.AGENT_STARTED, agent, Integer.toString(i))) {
                            Thread.onSpinWait(); // this test wants every record: wait for room, as no agent does
                        }
                    }
                });
            }
            for (Thread t : publishers) {
                t.join();
            }
            assertTrue(writer.flush(WATCHDOG));
            List<JournalEvent> events = journal.events().stream()
                    .filter(e -> e.type() == EventType.AGENT_STARTED).toList(); // drops (and retries) are reported too
            assertEquals(100_000, events.size());
            int[] next = new int[publishers.length];
            for (JournalEvent e : events) {
                int p = e.agent().charAt(e.agent().length() - 1) - '0';
                assertEquals(Integer.toString(next[p]++), e.details(), "order of " + e.agent());
            }
            assertEquals(writer.dropped(), droppedAccordingTo(journal.events()), "every drop is in the journal");
        }
    }

    @Test
    void aFullRingDropsAndCountsWithoutWaitingAndTheJournalSaysHowMany() throws InterruptedException {
        Gate journal = new Gate();
        journal.release = new CountDownLatch(1);
        try (JournalWriter writer = new JournalWriter(journal, 16)) {
            writer.event(EventType.AGENT_SPAWNED, "first", "0");
            // the writer is stuck in append
            assertTrue(journal.appending.await(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
            int accepted = 0;
            int refused = 0;
            for (int i = 1; i <= 100; i++) { // none of these may wait: the journal is stuck
                if (writer.event(EventType.AGENT_SPAWNED, "a", Integer.toString(i))) {
                    accepted++;
                } else {
                    refused++;
                }
            }
            assertEquals(15, accepted, "the ring's 16 slots, one still held by the record being appended");
            assertEquals(85, refused);
            assertEquals(85, writer.dropped());
            journal.release.countDown();
            assertTrue(writer.flush(WATCHDOG)); // room again
            assertTrue(writer.event(EventType.AGENT_STOPPED, "a", "after"));
            assertTrue(writer.flush(WATCHDOG));
            List<JournalEvent> events = journal.events();
            assertEquals("0", events.getFirst().details());
            JournalEvent gap = events.get(1);
            assertEquals(EventType.EVENTS_DROPPED, gap.type());
            assertTrue(gap.details().startsWith("85 events dropped"), gap.details());
            List<String> rest = events.subList(2, events.size()).stream().map(JournalEvent::details).toList();
            assertEquals(16, rest.size(), "the 15 that fitted, then the one after: " + rest);
            for (int i = 0; i < 15; i++) {
                assertEquals(Integer.toString(i + 1), rest.get(i));
            }
            assertEquals("after", rest.get(15));
        }
    }

    /** The dropped records the journal's EVENTS_DROPPED events account for. */
    private static long droppedAccordingTo(List<JournalEvent> events) {
        return events.stream().filter(e -> e.type() == EventType.EVENTS_DROPPED)
                .mapToLong(e -> Long.parseLong(e.details().substring(0, e.details().indexOf(' ')))).sum();
    }

    @Test
    void noDropGoesUnrecordedThroughAStop() throws InterruptedException {
        Gate journal = new Gate();
        journal.release = new CountDownLatch(1);
        JournalWriter writer = new JournalWriter(journal, 4);
        writer.event(EventType.AGENT_SPAWNED, "first", "0");
        assertTrue(journal.appending.await(WATCHDOG.toSeconds(), TimeUnit.SECONDS));
        for (int i = 0; i < 10; i++) {
            writer.event(EventType.AGENT_SPAWNED, "a", Integer.toString(i));
        }
        journal.release.countDown();
        writer.close(WATCHDOG);
        assertEquals(7, writer.dropped(), "3 of the 4 slots were free");
        assertEquals(7, droppedAccordingTo(journal.events()), journal.events().toString());
    }

    /**
     * A failed append breaks the promise of every flush for good: the records it carried are lost, so "everything
     * published so far is in the journal" can never be true again. The double throws the {@link InternalError} a
     * memory-mapped file throws when the disk is full.
     */
    @Test
    void aFailedAppendFailsEveryFlushFromThenOnNamingTheCause() {
        Gate journal = new Gate();
        try (JournalWriter writer = new JournalWriter(journal, 64)) {
            writer.event(EventType.AGENT_STARTED, "a", "kept");
            assertTrue(writer.flush(WATCHDOG));
            journal.fail = true;
            journal.failWith = new InternalError("a fault occurred in an unsafe memory access operation");
            writer.event(EventType.AGENT_FAILED, "a", "lost");
            JournalException e = assertThrows(JournalException.class, () -> writer.flush(WATCHDOG));
            assertTrue(e.getMessage().contains("failed to append 1 records")
                    && e.getMessage().contains("unsafe memory access"), e.getMessage());
            assertInstanceOf(InternalError.class, e.getCause());
            assertEquals(1, writer.failedAppends());
            assertEquals(1, writer.lostRecords());

            journal.fail = false; // the disk has room again: later records are written, the lost one stays lost
            writer.event(EventType.AGENT_STARTED, "a", "after");
            JournalException again = assertThrows(JournalException.class, () -> writer.flush(WATCHDOG));
            assertTrue(again.getMessage().contains("unsafe memory access"), again.getMessage());
            assertTrue(writer.failure().isPresent());
            Await.until(() -> writer.written() == 2, "the record after the failure to be written");
            assertEquals(List.of("kept", "after"), journal.events().stream().map(JournalEvent::details).toList());
        }
    }

    @Test
    void aFailureBeforeTheFlushFailsItWithoutWaiting() {
        Gate journal = new Gate();
        journal.fail = true;
        try (JournalWriter writer = new JournalWriter(journal, 64)) {
            writer.event(EventType.AGENT_FAILED, "a", "lost");
            Await.until(() -> writer.failedAppends() == 1, "the append to fail");
            journal.release = new CountDownLatch(1); // the next append hangs: a flush must not wait for it
            writer.event(EventType.AGENT_STARTED, "a", "stuck");
            assertThrows(JournalException.class, () -> writer.flush(WATCHDOG));
            journal.release.countDown();
        }
    }

    @Test
    void aRingSizeThatIsNotAPowerOfTwoIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new JournalWriter(new InMemoryJournal(), 1000));
        assertEquals("journal ring size must be a power of two: 1000", e.getMessage());
    }
}
