package dev.myrmex.core.coord;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behaviors;
import dev.myrmex.core.Val;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A virtual thread on the runtime's scheduler asks a 5-member quorum of handler agents back to back, as an agent
 * would: every send wakes a handler agent from the virtual thread's own context, so the scheduler's idle protocol is
 * entered by virtual threads and carriers at once. With a monitor there, this stopped the runtime within about a
 * million rounds (a virtual thread owning the lock while waiting for a carrier, one carrier blocked on it, the other
 * asleep). It must finish.
 */
class QuorumStressTest {
    record Question(int n) implements Val {
    }

    record Answer(int n) implements Val {
    }

    @Test
    void aMillionRoundsFromAVirtualThreadAllDecide() throws Exception {
        int rounds = 1_000_000;
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {
            rt.start();
            List<AgentRef<Question>> members = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                members.add(rt.<Question>spawn("member-" + i, Behaviors.nonBlocking(
                        (ctx, m) -> ctx.reply(m, new Answer(m.payload().n())))).ref());
            }
            Quorum<Question, Answer> quorum = Quorum.of(rt, members, QuorumThreshold.majority(),
                    Duration.ofSeconds(30));
            AtomicLong decided = new AtomicLong();
            Throwable[] failure = {null};
            Thread asker = rt.scheduler().threadBuilder().start(() -> {
                try {
                    for (int i = 0; i < rounds; i++) {
                        QuorumResult<Answer> r = quorum.ask(new Question(i)).get(30, TimeUnit.SECONDS);
                        if (r.decided() && r.decision().n() == i) {
                            decided.incrementAndGet();
                        }
                    }
                } catch (Throwable t) {
                    failure[0] = t;
                }
            });
            assertTrue(asker.join(WATCHDOG.multipliedBy(2)), "the asker stalled after " + decided.get() + " rounds");
            if (failure[0] != null) {
                throw new AssertionError("a round failed after " + decided.get(), failure[0]);
            }
            assertEquals(rounds, decided.get());
        }
    }
}
