package dev.myrmex.core;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.codec.ValueCodec;
import dev.myrmex.core.journal.InMemoryJournal;
import dev.myrmex.core.recovery.AgentFactory;
import dev.myrmex.core.recovery.Checkpointable;
import dev.myrmex.core.resilience.Backoff;
import dev.myrmex.core.supervision.RestartPolicy;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.core.supervision.SupervisionStrategy;
import dev.myrmex.core.supervision.SupervisorSpec;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Supervision and recovery compose: a recoverable agent follows the supervision its factory declares, each restart
 * from its last checkpoint, and a declared supervision tree of recoverable agents is rebuilt by recovery.
 */
class RecoverableSupervisionTest {
    sealed interface Op extends Val permits Add, Crash, Get {
    }

    record Add(int n) implements Op {
    }

    record Crash() implements Op {
    }

    record Get() implements Op {
    }

    record Total(long value) implements Val {
    }

    /** A counter whose state is its total; it throws on {@link Crash}. */
    static final class Account implements MessageHandler<Op>, Checkpointable<Long> {
        private long total;

        Account(Long restored) {
            total = restored == null ? 0 : restored;
        }

        @Override
        public void handle(AgentContext<Op> ctx, Message<Op> m) {
            switch (m.payload()) {
                case Add a -> total += a.n();
                case Crash c -> throw new IllegalStateException("crash on purpose at " + total);
                case Get g -> ctx.reply(m, new Total(total));
            }
        }

        @Override
        public Long checkpoint() {
            return total;
        }
    }

    static final Supervision RESTART = Supervision.of(RestartPolicy.ON_FAILURE).withBackoff(Backoff.fixed(
            Duration.ZERO));

    static AgentFactory<Op, Long> accounts(SpawnOptions options) {
        return AgentFactory.of(ValueCodec.int64("account-v1"),
                (name, restored) -> Behaviors.nonBlocking(new Account(restored)), options);
    }

    @SuppressWarnings("unchecked") // every agent of these tests takes Op
    static AgentHandle<Op> find(AgentRuntime rt, String name) {
        return (AgentHandle<Op>) rt.lookup(name).orElseThrow();
    }

    static long total(AgentRef<Op> account) throws Exception {
        return account.ask(new Get(), Total.class, WATCHDOG).get(WATCHDOG.toSeconds(), TimeUnit.SECONDS).value();
    }

    @Test
    void aRecoverableAgentFollowsItsFactorysSupervisionAndRestartsFromItsLastCheckpoint() throws Exception {
        AgentFactory<Op, Long> factory = accounts(SpawnOptions.DEFAULTS.withSupervision(RESTART));
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).factory("account", factory).build()) {
            rt.start();
            AgentHandle<Op> alice = rt.spawn("alice", factory);
            alice.ref().signal(new Add(5));
            alice.ref().signal(new Add(7));
            assertEquals(12, total(alice.ref()));
            assertTrue(rt.checkpointNow(WATCHDOG));
            alice.ref().signal(new Add(100)); // after the checkpoint: lost by the crash, as a recovery would lose it
            alice.ref().signal(new Crash());
            Await.until(() -> alice.metrics().restarts() == 1);
            assertEquals(AgentState.RUNNING, alice.state());
            assertEquals(12, total(alice.ref()), "restarted from its last checkpoint, not from 0 and not from 112");
            alice.ref().signal(new Add(1));
            assertEquals(13, total(alice.ref()));
        }
    }

    @Test
    void aNewAgentUnderAnOldNameDoesNotRestartFromTheOldOnesCheckpoint() throws Exception {
        AgentFactory<Op, Long> factory = accounts(SpawnOptions.DEFAULTS.withSupervision(RESTART));
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).factory("account", factory).build()) {
            rt.start();
            AgentHandle<Op> first = rt.spawn("carol", factory);
            first.ref().signal(new Add(40));
            assertEquals(40, total(first.ref()));
            assertTrue(rt.checkpointNow(WATCHDOG));
            first.stop();
            first.join(WATCHDOG);
            AgentHandle<Op> second = rt.spawn("carol", factory);
            assertEquals(0, total(second.ref()), "a new agent starts afresh");
        }
    }

    @Test
    void aDeclaredTreeOfRecoverableAgentsIsRebuiltByRecoveryAndItsAgentsRestartInIt() throws Exception {
        AgentFactory<Op, Long> factory = accounts(SpawnOptions.DEFAULTS);
        SupervisorSpec bank = SupervisorSpec.builder(SupervisionStrategy.ONE_FOR_ONE)
                .recoverable("alice", factory, RESTART)
                .recoverable("bob", factory, RESTART)
                .build();
        InMemoryJournal journal = new InMemoryJournal();
        try (AgentRuntime first = AgentRuntime.builder().workers(2).journal(journal).factory("account", factory)
                .supervisor("bank", bank).build()) {
            first.start();
            assertEquals(List.of("alice", "bob"), first.supervisor("bank").orElseThrow().children());
            AgentRef<Op> alice = find(first, "alice").ref();
            AgentRef<Op> bob = find(first, "bob").ref();
            alice.signal(new Add(10));
            bob.signal(new Add(20));
            assertEquals(10, total(alice));
            assertEquals(20, total(bob));
            assertTrue(first.stop(WATCHDOG)); // a graceful stop checkpoints them after their last message
        }
        try (AgentRuntime second = AgentRuntime.builder().workers(2).journal(journal).factory("account", factory)
                .supervisor("bank", bank).build()) {
            second.start();
            assertEquals(2, second.recovery().recovered().size(), second.recovery().toString());
            assertTrue(second.recovery().notRecovered().isEmpty(), second.recovery().toString());
            assertEquals(List.of("alice", "bob"), second.supervisor("bank").orElseThrow().children());
            AgentHandle<Op> alice = find(second, "alice");
            assertEquals(10, total(alice.ref()), "back inside its tree, from its checkpoint");
            assertEquals(20, total(find(second, "bob").ref()));
            alice.ref().signal(new Add(1));
            assertEquals(11, total(alice.ref()));
            assertTrue(second.checkpointNow(WATCHDOG));
            alice.ref().signal(new Crash()); // the tree restarts it, from its last checkpoint
            Await.until(() -> alice.metrics().restarts() == 1);
            assertEquals(11, total(alice.ref()));
        }
    }
}
