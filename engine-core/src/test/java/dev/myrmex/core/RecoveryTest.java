package dev.myrmex.core;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.codec.ValueCodec;
import dev.myrmex.core.journal.Checkpoint;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.InMemoryJournal;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.recovery.AgentFactory;
import dev.myrmex.core.recovery.Checkpointable;
import dev.myrmex.core.recovery.RecoveryReport;
import dev.myrmex.testkit.Await;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Checkpoints of recoverable agents, and a runtime bringing them back from its journal. */
class RecoveryTest {
    record Add(int n) implements Val {
    }

    /** Handler style. {@code seen} is for the test to watch; the checkpoint reads {@code total}. */
    static final class Counter implements MessageHandler<Add>, Checkpointable<Long> {
        private long total;
        volatile long seen;

        Counter(Long restored) {
            total = restored == null ? 0 : restored;
            seen = total;
        }

        @Override
        public void handle(AgentContext<Add> ctx, Message<Add> m) {
            total += m.payload().n();
            seen = total;
        }

        @Override
        public Long checkpoint() {
            return total;
        }
    }

    /** Direct style: the same counter as a receive loop. */
    static final class Summer implements Behavior<Add>, Checkpointable<Long> {
        private long total;
        volatile long seen;

        Summer(Long restored) {
            total = restored == null ? 0 : restored;
            seen = total;
        }

        @Override
        public void run(DirectContext<Add> ctx) throws Exception {
            while (true) {
                total += ctx.receive().payload().n();
                seen = total;
            }
        }

        @Override
        public Long checkpoint() {
            return total;
        }
    }

    private static final ValueCodec<Long> LONGS = ValueCodec.int64("long-v1");
    /** Every agent each factory made, in order: the test's window on their state. */
    private final List<Counter> counters = new ArrayList<>();
    private final List<Summer> summers = new ArrayList<>();
    private final AgentFactory<Add, Long> counterFactory = AgentFactory.of(LONGS, (name, s) -> {
        Counter c = new Counter(s);
        synchronized (counters) {
            counters.add(c);
        }
        return Behaviors.nonBlocking(c);
    });
    private final AgentFactory<Add, Long> summerFactory = AgentFactory.of(LONGS, (name, s) -> {
        Summer b = new Summer(s);
        synchronized (summers) {
            summers.add(b);
        }
        return b;
    });

    private AgentRuntime runtime(InMemoryJournal journal) {
        return AgentRuntime.builder().workers(2).journal(journal).factory("counter", counterFactory)
                .factory("summer", summerFactory).build();
    }

    private Counter lastCounter() {
        synchronized (counters) {
            return counters.getLast();
        }
    }

    private Summer lastSummer() {
        synchronized (summers) {
            return summers.getLast();
        }
    }

    @SuppressWarnings("unchecked")
    private static AgentRef<Add> adder(AgentRuntime rt, String name) {
        return (AgentRef<Add>) rt.lookup(name).orElseThrow().ref();
    }

    private static long lastCheckpointed(InMemoryJournal journal, String agent) {
        long[] v = {-1};
        journal.replay(r -> {
            if (r instanceof Checkpoint c && c.agent().equals(agent)) {
                v[0] = ByteBuffer.wrap(c.state()).getLong();
            }
        });
        return v[0];
    }

    @Test
    void aGracefullyStoppedRuntimeComesBackFromItsFinalCheckpoints() throws Exception {
        InMemoryJournal journal = new InMemoryJournal();
        try (AgentRuntime rt = runtime(journal)) {
            rt.start();
            assertEquals(RecoveryReport.NONE, rt.recovery());
            AgentHandle<Add> c = rt.spawn("c1", counterFactory);
            AgentHandle<Add> s = rt.spawn("s1", summerFactory);
            for (int i = 1; i <= 100; i++) {
                c.ref().signal(new Add(i));
                s.ref().signal(new Add(2 * i));
            }
            Await.until(() -> lastCounter().seen == 5050 && lastSummer().seen == 10100);
        } // graceful: each agent checkpoints after its last message
        assertEquals(5050, lastCheckpointed(journal, "c1"));
        assertEquals(10100, lastCheckpointed(journal, "s1"));

        try (AgentRuntime rt = runtime(journal)) {
            rt.start();
            RecoveryReport report = rt.recovery();
            assertEquals(List.of("c1", "s1"), report.recovered().stream().map(RecoveryReport.Recovered::agent).sorted()
                    .toList());
            assertTrue(report.complete(), report::toString);
            assertEquals(5050, lastCounter().seen, "the counter came back from its checkpoint");
            assertEquals(10100, lastSummer().seen);
            adder(rt, "c1").signal(new Add(1));
            Await.until(() -> lastCounter().seen == 5051);
            assertTrue(rt.checkpointNow(WATCHDOG)); // flushes the journal too
            assertEquals(5051, lastCheckpointed(journal, "c1"));
            assertEquals(2, journal.query(EventFilter.ALL.types(EventType.AGENT_RECOVERED), 10).size());
        }
    }

    @Test
    void aRuntimeThatDiedComesBackFromTheLastCheckpointBeforeIt() throws Exception {
        InMemoryJournal journal = new InMemoryJournal();
        AgentRuntime first = runtime(journal);
        first.start();
        AgentHandle<Add> c = first.spawn("c1", counterFactory);
        for (int i = 0; i < 10; i++) {
            c.ref().signal(new Add(1));
        }
        Await.until(() -> lastCounter().seen == 10);
        assertTrue(first.checkpointNow(WATCHDOG));
        for (int i = 0; i < 5; i++) {
            c.ref().signal(new Add(1));
        }
        Await.until(() -> lastCounter().seen == 15);
        first.stopNow(WATCHDOG); // immediate: no final checkpoint, as in a crash

        try (AgentRuntime rt = runtime(journal)) {
            rt.start();
            assertEquals(10, lastCounter().seen, "the 5 messages after the last checkpoint are not in it");
            assertEquals(10, ByteBuffer.wrap(rt.recovery().recovered().getFirst().from().state()).getLong());
        }
    }

    @Test
    void anAgentThatEndedWhileItsRuntimeRanIsRetired() throws Exception {
        InMemoryJournal journal = new InMemoryJournal();
        try (AgentRuntime rt = runtime(journal)) {
            rt.start();
            rt.spawn("keep", counterFactory);
            AgentHandle<Add> gone = rt.spawn("gone", summerFactory);
            gone.stop();
            gone.join(WATCHDOG);
        }
        assertEquals(1, journal.query(EventFilter.ALL.types(EventType.AGENT_RETIRED).agent("gone"), 10).size(),
                () -> journal.query(EventFilter.ALL, 100).toString());
        try (AgentRuntime rt = runtime(journal)) {
            rt.start();
            assertEquals(List.of("keep"), rt.recovery().recovered().stream().map(RecoveryReport.Recovered::agent)
                    .toList());
            assertTrue(rt.lookup("gone").isEmpty());
            rt.spawn("gone", summerFactory); // the name is free: a new agent of that name starts from nothing
            assertEquals(0, lastSummer().seen);
        }
    }

    @Test
    void whatCannotComeBackIsReportedWithWhyAndTriedAgainNextTime() throws Exception {
        InMemoryJournal journal = new InMemoryJournal();
        Instant t = Instant.now();
        journal.append(List.of(
                new Checkpoint(t, "orphan", "nobody", "long-v1", new byte[8]),
                new Checkpoint(t, "old", "counter", "long-v0", new byte[8]),
                new Checkpoint(t, "short", "counter", "long-v1", new byte[3]),
                new Checkpoint(t, "fine", "counter", "long-v1", ByteBuffer.allocate(8).putLong(42).array()),
                new Checkpoint(t, "picky", "picky", "long-v1", new byte[8])));
        AgentFactory<Add, Long> picky = AgentFactory.of(LONGS, (name, s) -> {
            throw new IllegalStateException("not today (expected by the test)");
        });
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).journal(journal).factory("counter", counterFactory)
                .factory("picky", picky).build()) {
            rt.start();
            RecoveryReport r = rt.recovery();
            assertFalse(r.complete());
            assertEquals(List.of("fine"), r.recovered().stream().map(RecoveryReport.Recovered::agent).toList());
            assertEquals(42, lastCounter().seen);
            List<String> why = r.notRecovered().stream().map(n -> n.agent() + ": " + n.reason()).toList();
            assertEquals(4, why.size(), why::toString);
            assertTrue(why.get(0).startsWith("orphan: no factory is registered under 'nobody'"), why.get(0));
            assertTrue(why.get(1).contains("written by codec 'long-v0' but factory 'counter' reads codec 'long-v1'"),
                    why.get(1));
            assertTrue(why.get(2).contains("could not decode its 3-byte checkpoint"), why.get(2));
            assertTrue(why.get(3).contains("not today"), why.get(3));
            assertTrue(rt.flushJournal(WATCHDOG));
            assertEquals(4, journal.query(EventFilter.ALL.types(EventType.AGENT_NOT_RECOVERED), 10).size());
        }
        // Nothing was retired: a runtime with the missing factory gets "orphan" back.
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).journal(journal).factory("nobody", summerFactory)
                .build()) {
            rt.start();
            assertTrue(rt.recovery().recovered().stream().anyMatch(x -> x.agent().equals("orphan")));
        }
    }

    @Test
    void theIntervalTakesCheckpointsWithoutBeingAsked() throws Exception {
        InMemoryJournal journal = new InMemoryJournal();
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).journal(journal).factory("counter", counterFactory)
                .checkpointInterval(Duration.ofMillis(20)).build()) {
            rt.start();
            AgentHandle<Add> c = rt.spawn("c1", counterFactory);
            c.ref().signal(new Add(7));
            Await.until(() -> lastCheckpointed(journal, "c1") == 7);
        }
    }

    /** A checkpoint is taken between messages: never half way through one, in either style. */
    @Test
    void checkpointsNeverSeeAMessageHalfHandled() throws Exception {
        record Pair(long a, long b) {
        }
        ValueCodec<Pair> pairs = ValueCodec.of("pair", p -> ByteBuffer.allocate(16).putLong(p.a())
                .putLong(p.b()).array(), b -> new Pair(ByteBuffer.wrap(b).getLong(), ByteBuffer.wrap(b).getLong(8)));
        final class Twin implements MessageHandler<Add>, Checkpointable<Pair> {
            long a;
            long b;

            @Override
            public void handle(AgentContext<Add> ctx, Message<Add> m) {
                a++;
                for (int i = 0; i < 200; i++) {
                    Thread.onSpinWait(); // a checkpoint taken now would see a != b
                }
                b++;
            }

            @Override
            public Pair checkpoint() {
                return new Pair(a, b);
            }
        }
        AgentFactory<Add, Pair> handlers = AgentFactory.of(pairs, (n, s) -> Behaviors.nonBlocking(new Twin()));
        AgentFactory<Add, Pair> direct = AgentFactory.of(pairs, (n, s) -> {
            Twin t = new Twin();
            final class Loop implements Behavior<Add>, Checkpointable<Pair> {
                @Override
                public void run(DirectContext<Add> ctx) throws Exception {
                    while (true) {
                        t.handle(ctx, ctx.receive());
                    }
                }

                @Override
                public Pair checkpoint() {
                    return t.checkpoint();
                }
            }
            return new Loop();
        });
        InMemoryJournal journal = new InMemoryJournal(1_000_000);
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).journal(journal).factory("h", handlers)
                .factory("d", direct).build()) {
            rt.start();
            AgentHandle<Add> h = rt.spawn("h", handlers);
            AgentHandle<Add> d = rt.spawn("d", direct);
            AtomicBoolean sending = new AtomicBoolean(true);
            Thread sender = Thread.ofPlatform().start(() -> {
                while (sending.get()) {
                    h.ref().signal(new Add(1));
                    d.ref().signal(new Add(1));
                }
            });
            for (int i = 0; i < 200; i++) {
                assertTrue(rt.checkpointNow(WATCHDOG));
            }
            sending.set(false);
            sender.join();
        }
        long[] seen = {0};
        journal.replay(r -> {
            if (r instanceof Checkpoint c) {
                seen[0]++;
                ByteBuffer b = ByteBuffer.wrap(c.state());
                assertEquals(b.getLong(0), b.getLong(8), "checkpoint of " + c.agent() + " mid-message");
            }
        });
        assertTrue(seen[0] >= 2 * 200, "checkpoints taken: " + seen[0]);
    }

    @Test
    void aFailingCheckpointIsSkippedAndTheAgentCarriesOn() throws Exception {
        InMemoryJournal journal = new InMemoryJournal();
        AtomicBoolean broken = new AtomicBoolean();
        ValueCodec<Long> flaky = ValueCodec.of("flaky", v -> {
            if (broken.get()) {
                throw new IllegalStateException("encoder down (expected by the test)");
            }
            return LONGS.encode(v);
        }, LONGS::decode);
        AgentFactory<Add, Long> f = AgentFactory.of(flaky, (n, s) -> Behaviors.nonBlocking(new Counter(s)));
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).journal(journal).factory("f", f).build()) {
            rt.start();
            AgentHandle<Add> a = rt.spawn("a", f);
            a.ref().signal(new Add(3));
            Await.until(() -> {
                try {
                    return rt.checkpointNow(WATCHDOG) && lastCheckpointed(journal, "a") == 3;
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            broken.set(true);
            a.ref().signal(new Add(4));
            assertTrue(rt.checkpointNow(WATCHDOG));
            assertEquals(3, lastCheckpointed(journal, "a"), "the previous checkpoint stands");
            assertEquals(AgentState.RUNNING, a.state());
        }
    }

    @Test
    void badUseIsRefusedWithTheReason() {
        AgentFactory<Add, Long> unregistered = AgentFactory.of(LONGS, (n, s) -> Behaviors.nonBlocking(new Counter(s)));
        AgentFactory<Add, Long> plain = AgentFactory.of(LONGS, (n, s) -> Behaviors.nonBlocking((ctx, m) -> { }));
        try (AgentRuntime rt = AgentRuntime.builder().workers(1).factory("plain", plain).build()) {
            rt.start();
            assertTrue(assertThrows(IllegalArgumentException.class, () -> rt.spawn("x", unregistered)).getMessage()
                    .contains("not registered"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> rt.spawn("y", plain)).getMessage()
                    .contains("must implement Checkpointable"));
            assertTrue(rt.lookup("y").isEmpty());
        }
        AgentRuntime.Builder b = AgentRuntime.builder().factory("a", counterFactory);
        assertThrows(IllegalArgumentException.class, () -> b.factory("a", summerFactory));
        assertThrows(IllegalArgumentException.class, () -> b.factory("b", counterFactory));
        assertThrows(IllegalArgumentException.class, () -> b.factory(" ", summerFactory));
        assertThrows(IllegalArgumentException.class, () -> b.checkpointInterval(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> ValueCodec.of("", x -> new byte[0], x -> x));
    }

    /** What the recovery events say, for the record. */
    @Test
    void recoveryIsJournalled() throws Exception {
        InMemoryJournal journal = new InMemoryJournal();
        try (AgentRuntime rt = runtime(journal)) {
            rt.start();
            rt.spawn("c1", counterFactory);
        }
        try (AgentRuntime rt = runtime(journal)) {
            rt.start();
            assertTrue(rt.flushJournal(WATCHDOG));
            JournalEvent e = journal.query(EventFilter.ALL.types(EventType.AGENT_RECOVERED), 1).getFirst();
            assertEquals("c1", e.agent());
            assertTrue(e.details().contains("factory counter"), e.details());
        }
    }
}
