package dev.myrmex.core;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.mailbox.MailboxSettings;
import dev.myrmex.core.resilience.Backoff;
import dev.myrmex.core.supervision.RestartPolicy;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.core.supervision.SupervisionStrategy;
import dev.myrmex.core.supervision.Supervisor;
import dev.myrmex.core.supervision.SupervisorSpec;
import dev.myrmex.core.testing.RuntimeExtension;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chaos: 1,000 supervised agents of all three styles, half standalone and half in a two-level tree, while four
 * senders pour messages at random agents and about one message in fifty makes its agent throw. The runtime stays up,
 * every agent's restart count equals the failures sent to it, and every message is processed or is a dead letter from
 * the crash it caused: none vanish.
 */
class SupervisionChaosTest {
    record Job(int agent, boolean explode) implements Val {
    }

    static final int AGENTS = 1_000;
    static final int SENDERS = 4;
    static final int PER_SENDER = 50_000;

    @RegisterExtension
    final RuntimeExtension runtimes = new RuntimeExtension();
    private final AgentRuntime rt = runtimes.track(AgentRuntime.builder().workers(2).randomSeed(42)
            .mailbox(MailboxSettings.DEFAULTS.withCapacity(PER_SENDER * SENDERS)).build());

    @Test
    void restartsMatchTheFailuresAndNoMessageVanishes() throws Exception {
        rt.start();
        LongAdder processed = new LongAdder();
        LongAdder crashedOn = new LongAdder();
        LongAdder otherDeadLetters = new LongAdder();
        rt.deadLetters().subscribe(d -> {
            if (d.reason() == DeadLetter.Reason.AGENT_FAILED && d.message().payload() instanceof Job j && j.explode()) {
                crashedOn.increment();
            } else {
                otherDeadLetters.increment();
            }
        });
        Supervision supervision = Supervision.of(RestartPolicy.ON_FAILURE)
                .withMaxRestarts(1_000_000, Duration.ofMinutes(10))
                .withBackoff(Backoff.exponential(Duration.ofMillis(1), 2.0, Duration.ofMillis(4)).withJitter(0.5));

        List<AgentHandle<Job>> agents = new ArrayList<>();
        for (int i = 0; i < AGENTS / 2; i++) {
            agents.add(rt.spawn("solo-" + i, behavior(i, processed), SpawnOptions.DEFAULTS.withSupervision(
                    supervision)));
        }
        SupervisorSpec.Builder root = SupervisorSpec.builder(SupervisionStrategy.ONE_FOR_ONE);
        int groups = 5;
        int perGroup = AGENTS / 2 / groups;
        for (int g = 0; g < groups; g++) {
            SupervisorSpec.Builder group = SupervisorSpec.builder(SupervisionStrategy.ONE_FOR_ONE);
            for (int k = 0; k < perGroup; k++) {
                int i = AGENTS / 2 + g * perGroup + k;
                group.agent("tree-" + i, behavior(i, processed), supervision);
            }
            root.supervisor("group-" + g, group.build(), supervision);
        }
        Supervisor tree = rt.supervise("tree", root.build());
        for (int i = AGENTS / 2; i < AGENTS; i++) {
            int g = (i - AGENTS / 2) / perGroup;
            agents.add(tree.supervisor("group-" + g).orElseThrow().<Job>agent("tree-" + i).orElseThrow());
        }

        AtomicLongArray failuresSent = new AtomicLongArray(AGENTS);
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            SplittableRandom random = new SplittableRandom(1000 + s);
            senders.add(Thread.ofPlatform().start(() -> {
                for (int n = 0; n < PER_SENDER; n++) {
                    int target = random.nextInt(AGENTS);
                    boolean explode = random.nextInt(50) == 0;
                    if (explode) {
                        failuresSent.incrementAndGet(target);
                    }
                    assertTrue(agents.get(target).ref().signal(new Job(target, explode)));
                }
            }));
        }
        for (Thread t : senders) {
            t.join(WATCHDOG.toMillis());
        }
        long total = (long) SENDERS * PER_SENDER;
        Await.until(() -> processed.sum() + crashedOn.sum() + otherDeadLetters.sum() == total);
        long failures = 0;
        for (int i = 0; i < AGENTS; i++) {
            failures += failuresSent.get(i);
        }
        assertTrue(failures > total / 100, "the chaos injected too few failures to mean anything: " + failures);
        assertEquals(0, otherDeadLetters.sum(), "only the messages agents crashed on are dead letters");
        assertEquals(failures, crashedOn.sum());
        assertEquals(total - failures, processed.sum());
        long expectedRestarts = failures;
        Await.until(() -> rt.metrics().restarts() == expectedRestarts);
        for (int i = 0; i < AGENTS; i++) {
            AgentHandle<Job> h = agents.get(i);
            assertEquals(failuresSent.get(i), h.metrics().restarts(), h.name());
            int agent = i;
            Await.until(() -> agents.get(agent).state() == AgentState.RUNNING);
        }
        assertEquals(AGENTS, rt.agentCount());
        assertEquals(0, rt.metrics().escalations());
        assertEquals(AgentState.RUNNING, tree.state());
    }

    /** A third each: non-blocking handlers, blocking-friendly handlers, direct style. */
    private static Behavior<Job> behavior(int i, LongAdder processed) {
        MessageHandler<Job> h = (ctx, m) -> {
            if (m.payload().explode()) {
                throw new IllegalStateException("chaos in agent " + i);
            }
            processed.increment();
        };
        return switch (i % 3) {
            case 0 -> Behaviors.nonBlocking(h);
            case 1 -> Behaviors.receive(h);
            default -> ctx -> {
                while (true) {
                    h.handle(ctx, ctx.receive());
                }
            };
        };
    }
}
