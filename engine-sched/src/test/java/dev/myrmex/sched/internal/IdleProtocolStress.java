package dev.myrmex.sched.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.ConcurrentLinkedQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * jcstress tests of the idle protocol's Dekker pair ({@link IdleCoordinator}): a submitter that queues a task and
 * calls {@code notifyOne()}, racing a worker that gives up searching and parks. Result: (worker still on the sleeper
 * stack, task still queued). Both true is a lost wake-up. The broken twin parks without the last searcher's re-check,
 * and must show the lost wake-up: proof that the harness can see it. Run by {@code IdleProtocolStressTest}.
 */
public final class IdleProtocolStress {
    private IdleProtocolStress() {
    }

    /** One worker, already searching, and an empty queue. */
    abstract static class Setup {
        final IdleCoordinator idle = new IdleCoordinator(1);
        final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();

        Setup() {
            idle.attach(0, Thread.currentThread()); // unparking the setup thread is harmless
            if (!idle.tryStartSearching()) {
                throw new IllegalStateException("a lone worker must be allowed to search");
            }
        }

        void submit() {
            queue.offer(Boolean.TRUE);
            idle.notifyOne();
        }

        void observe(ZZ_Result r) {
            r.r1 = idle.isSleeping(0);
            r.r2 = !queue.isEmpty();
        }
    }

    @JCStressTest
    @Description("A submission racing the last searcher's park: the worker is woken, or sees the task itself.")
    @Outcome(id = "false, true", expect = ACCEPTABLE, desc = "the worker is awake and the task waits for it")
    @Outcome(id = "true, true", expect = FORBIDDEN, desc = "lost wake-up: the worker sleeps with a task queued")
    @State
    public static class Protocol extends Setup {
        @Actor
        public void submitter() {
            submit();
        }

        @Actor
        public void lastSearcherParks() {
            idle.prepareToPark(0, true, () -> !queue.isEmpty()); // exactly what Worker.park does
        }

        @Arbiter
        public void arbiter(ZZ_Result r) {
            observe(r);
        }
    }

    @JCStressTest
    @Description("Broken twin: the last searcher parks without re-checking the queues.")
    @Outcome(id = "false, true", expect = ACCEPTABLE, desc = "the submitter saw the worker parked and woke it")
    @Outcome(id = "true, true", expect = ACCEPTABLE_INTERESTING, desc = "lost wake-up, as expected of the broken twin")
    @State
    public static class BrokenTwin extends Setup {
        @Actor
        public void submitter() {
            submit();
        }

        @Actor
        public void lastSearcherParksWithoutRecheck() {
            idle.parkPrepare(0, true);
        }

        @Arbiter
        public void arbiter(ZZ_Result r) {
            observe(r);
        }
    }
}
