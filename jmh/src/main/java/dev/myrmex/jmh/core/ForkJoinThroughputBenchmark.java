package dev.myrmex.jmh.core;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.core.Val;
import dev.myrmex.core.mailbox.MailboxSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Savina's fork-join throughput: {@value #ACTORS} actors; the benchmark thread sends {@value #PER_ACTOR} messages to
 * each, round-robin; every message costs a little computation ({@link Work}). Reported as messages per microsecond (=
 * millions per second) until the last actor has taken its last message. Many busy receivers at once: how well the
 * scheduler spreads them over the cores. Mailboxes hold a whole round, as Pekko's default unbounded ones do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class ForkJoinThroughputBenchmark {
    static final int ACTORS = 60;
    static final int PER_ACTOR = 10_000;

    @Param({"MYRMEX", "MYRMEX_HANDLER", "MYRMEX_TURNS", "PEKKO", "VT_QUEUE", "VT_JOX"})
    public ActorKind impl;

    record Job() implements Val {
    }

    private static final Job JOB = new Job();

    private volatile CountDownLatch allDone;
    private Runnable sendAll;
    private Engines engines;

    @Setup(Level.Trial)
    public void setUp() {
        engines = Engines.start(impl, "fjthroughput");
        switch (impl) {
            case MYRMEX, MYRMEX_HANDLER, MYRMEX_TURNS -> myrmex();
            case PEKKO -> pekko();
            case VT_QUEUE, VT_JOX -> virtualThreads();
        }
    }

    @Benchmark
    @OperationsPerInvocation(ACTORS * PER_ACTOR)
    public void throughput() throws Exception {
        CountDownLatch done = new CountDownLatch(ACTORS);
        allDone = done;
        sendAll.run();
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(done.getCount() + " actors never got all their messages");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engines.close();
    }

    /** Counts one actor's messages and reports when it has had a round's worth. Used by one actor at a time. */
    private final class Tally {
        private int seen;

        void take() {
            Work.perform();
            if (++seen == PER_ACTOR) {
                seen = 0;
                allDone.countDown();
            }
        }
    }

    private void myrmex() {
        AgentRuntime rt = engines.myrmex();
        SpawnOptions unbounded = SpawnOptions.DEFAULTS.withMailbox(
                MailboxSettings.DEFAULTS.withCapacity(PER_ACTOR + 16).withoutWatermarks());
        List<AgentRef<Job>> refs = new ArrayList<>();
        for (int a = 0; a < ACTORS; a++) {
            Tally tally = new Tally();
            refs.add(rt.spawn("fj-" + a, impl.<Job>behavior((ctx, m) -> tally.take()), unbounded).ref());
        }
        sendAll = () -> {
            for (int i = 0; i < PER_ACTOR; i++) {
                for (AgentRef<Job> r : refs) {
                    r.signal(JOB);
                }
            }
        };
    }

    private void pekko() {
        ActorSystem system = engines.pekko();
        List<ActorRef> actors = new ArrayList<>();
        for (int a = 0; a < ACTORS; a++) {
            Tally tally = new Tally();
            actors.add(PekkoSystems.actor(system, (self, m) -> tally.take()));
        }
        sendAll = () -> {
            for (int i = 0; i < PER_ACTOR; i++) {
                for (ActorRef r : actors) {
                    r.tell(JOB, ActorRef.noSender());
                }
            }
        };
    }

    private void virtualThreads() {
        List<PlainActor<Job>> actors = new ArrayList<>();
        for (int a = 0; a < ACTORS; a++) {
            Tally tally = new Tally();
            actors.add(engines.plainActor((self, m) -> tally.take()));
        }
        sendAll = () -> {
            for (int i = 0; i < PER_ACTOR; i++) {
                for (PlainActor<Job> q : actors) {
                    q.tell(JOB);
                }
            }
        };
    }
}
