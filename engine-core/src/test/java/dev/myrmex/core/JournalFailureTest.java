package dev.myrmex.core;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.ForwardingJournal;
import dev.myrmex.core.journal.InMemoryJournal;
import dev.myrmex.core.journal.JournalException;
import dev.myrmex.core.journal.JournalRecord;
import dev.myrmex.core.journal.JournalSettings;
import dev.myrmex.core.journal.Severity;
import dev.myrmex.core.metrics.HealthReport;
import dev.myrmex.core.metrics.JournalMetrics;
import dev.myrmex.core.metrics.PrometheusMetrics;
import dev.myrmex.testkit.Await;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * An acknowledgement is a promise: once the journal fails an append, the runtime says so everywhere it is asked
 * (flush, metrics, health) instead of answering as if the records were kept. The journal here is a fault-injecting
 * double that fails as a memory-mapped file on a full disk does (an {@link InternalError}); engine-journal's
 * {@code DiskFullTest} does it with a real full disk.
 */
class JournalFailureTest {

    /** An in-memory journal whose appends throw once {@link #full} is set. */
    static final class FullDisk extends ForwardingJournal {
        final AtomicBoolean full = new AtomicBoolean();

        FullDisk() {
            super(new InMemoryJournal());
        }

        @Override
        public void append(List<? extends JournalRecord> batch) {
            if (full.get()) {
                throw new InternalError("a fault occurred in an unsafe memory access operation");
            }
            super.append(batch);
        }
    }

    @Test
    void aFailedAppendFailsTheFlushShowsInMetricsAndMakesTheRuntimeDown() throws Exception {
        FullDisk journal = new FullDisk();
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).journal(journal)
                .journalSettings(JournalSettings.DEFAULTS.withSeverity(Severity.DEBUG)).build()) {
            rt.start();
            rt.spawn("before", Behaviors.<Val>nonBlocking((c, m) -> { }));
            assertTrue(rt.flushJournal(WATCHDOG));
            assertEquals(HealthReport.Status.UP, rt.health().status());
            assertEquals(0, rt.metrics().journal().failedAppends());

            journal.full.set(true);
            rt.spawn("after", Behaviors.<Val>nonBlocking((c, m) -> { })); // its AGENT_SPAWNED cannot be kept
            JournalException e = assertThrows(JournalException.class, () -> rt.flushJournal(WATCHDOG));
            assertTrue(e.getMessage().contains("unsafe memory access"), e.getMessage());
            assertInstanceOf(InternalError.class, e.getCause());

            JournalMetrics m = rt.metrics().journal();
            assertTrue(m.failedAppends() >= 1 && m.lostRecords() >= 1, m::toString);
            HealthReport h = rt.health();
            assertEquals(HealthReport.Status.DOWN, h.status());
            assertEquals(1, h.faults().size(), h::toString);
            assertTrue(h.faults().getFirst().startsWith("journal: ") && h.faults().getFirst().contains("lost"),
                    h.faults()::toString);
            String scrape = new PrometheusMetrics(rt).scrape();
            assertTrue(scrape.contains("myrmex_journal_failed_appends_total " + m.failedAppends() + ".0")
                    || scrape.contains("myrmex_journal_failed_appends_total " + m.failedAppends()), scrape);

            journal.full.set(false); // room again: later events are kept, but the lost ones stay lost
            rt.spawn("later", Behaviors.<Val>nonBlocking((c, m2) -> { }));
            assertThrows(JournalException.class, () -> rt.flushJournal(WATCHDOG));
            Await.until(() -> !journal.query(EventFilter.ALL.types(EventType.AGENT_SPAWNED).agent("later"), 1)
                    .isEmpty(), "the event after the failure to reach the journal");
            assertEquals(HealthReport.Status.DOWN, rt.health().status());
            assertEquals(List.of(), journal.query(EventFilter.ALL.agent("after").types(EventType.AGENT_SPAWNED), 1));
        }
    }
}
