package dev.myrmex.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.core.Val;
import dev.myrmex.core.scheduling.Priority;
import dev.myrmex.core.scheduling.SchedulingPolicy;
import dev.myrmex.core.spi.AgentStyle;
import dev.myrmex.testkit.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract every {@link SchedulingPolicy} keeps, whatever order and pace it chooses, run against each
 * implementation by extending this class: under it, agents of every style, at every priority, sharing one policy
 * instance, each take every message sent to them exactly once and in each sender's order; none is starved while the
 * others are busy; and a graceful stop leaves no message behind. A policy orders runs: it never loses, repeats or
 * reorders a sender's messages.
 */
public abstract class SchedulingPolicyContract {
    private static final int AGENTS = 4;
    private static final int SENDERS = 3;
    private static final int PER_SENDER = 400;

    /** One message: who sent it, and its place in that sender's sequence. */
    public record Seq(int sender, int n) implements Val {
    }

    @RegisterExtension
    final RuntimeExtension runtimes = new RuntimeExtension();

    /** The policy under test: a new instance each call, shared by the agents of one test. */
    protected abstract SchedulingPolicy policy();

    @ParameterizedTest
    @EnumSource(AgentStyle.class)
    void everyMessageIsTakenOnceInEachSendersOrderByEveryAgent(AgentStyle style) throws Exception {
        SchedulingPolicy policy = policy();
        AgentRuntime rt = runtimes.track(AgentRuntime.builder().workers(2).build());
        rt.start();
        List<Queue<Seq>> received = new ArrayList<>();
        List<AgentHandle<Seq>> agents = new ArrayList<>();
        Priority[] priorities = Priority.values();
        for (int a = 0; a < AGENTS; a++) {
            Queue<Seq> got = new ConcurrentLinkedQueue<>();
            received.add(got);
            agents.add(rt.spawn(policy.name().toLowerCase(java.util.Locale.ROOT) + "-" + a,
                    Styled.<Seq>behavior(style, (ctx, m) -> got.add(m.payload())),
                    SpawnOptions.DEFAULTS.withScheduling(policy).withPriority(priorities[a % priorities.length])));
        }
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            senders.add(Thread.ofVirtual().start(() -> {
                for (int n = 0; n < PER_SENDER; n++) {
                    for (AgentHandle<Seq> a : agents) {
                        a.ref().signal(new Seq(sender, n));
                    }
                }
            }));
        }
        for (Thread t : senders) {
            Await.join(t, () -> "a sender under " + policy.name() + " never finished: " + counts(received));
        }
        Await.until(() -> received.stream().allMatch(q -> q.size() >= SENDERS * PER_SENDER),
                () -> "not every message was taken under " + policy.name() + " (" + style + "): " + counts(received));
        assertTrue(rt.stop(Await.WATCHDOG), "a graceful stop under " + policy.name());
        for (int a = 0; a < AGENTS; a++) {
            int[] next = new int[SENDERS];
            for (Seq m : received.get(a)) {
                assertEquals(next[m.sender()], m.n(), "agent " + a + " under " + policy.name() + " (" + style
                        + "): sender " + m.sender() + "'s messages out of order, repeated or lost");
                next[m.sender()]++;
            }
            for (int s = 0; s < SENDERS; s++) {
                assertEquals(PER_SENDER, next[s], "agent " + a + ": messages of sender " + s);
            }
        }
        assertEquals(0, rt.deadLetters().count(), "no message left behind: " + rt.deadLetters());
    }

    private static List<Integer> counts(List<Queue<Seq>> received) {
        return received.stream().map(Queue::size).toList();
    }
}
