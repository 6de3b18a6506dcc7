package dev.myrmex.ipc;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.myrmex.core.AgentFailedException;
import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.core.Val;
import dev.myrmex.core.mailbox.MailboxFullException;
import dev.myrmex.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Nothing vanishes when a child ends under a flood (issue 19, item 1): for every way a child can end, over many runs,
 * the messages sent equal those the child took plus the dead letters, exactly. The rings are as small as allowed
 * (64 KB, some 580 messages a lap) so that each run wraps around many times and ends at a random point of a lap; the
 * lossy runs of the issue all had the ring's head at the padding record at the end of the buffer when the child ended.
 */
class DeliveryOnChildDeathTest {
    private static final int RUNS = 20;
    /** Messages the child takes before it is ended: a dozen laps of the ring. */
    private static final long TAKEN_BEFORE_THE_END = 6_000;
    private static final int SENDERS = 2;

    /** How a child ends. */
    enum Ending { SIGKILL, STOP_GRACEFUL, STOP_IMMEDIATE }

    record Flood(int run, long seq) implements Val {
    }

    @TempDir
    static Path tmp;
    private static AgentRuntime rt;
    private static final Map<Integer, LongAdder> DEAD = new ConcurrentHashMap<>();

    @BeforeAll
    static void startRuntime() {
        rt = AgentRuntime.builder().workers(2).build();
        rt.start();
        rt.deadLetters().subscribe(d -> {
            if (d.message().payload() instanceof Flood f) {
                DEAD.computeIfAbsent(f.run(), k -> new LongAdder()).increment();
            }
        });
    }

    @AfterAll
    static void closeRuntime() {
        rt.close();
    }

    @ParameterizedTest
    @EnumSource(Ending.class)
    void everyMessageSentIsTakenByTheChildOrADeadLetter(Ending ending) throws Exception {
        OutOfProcess host = OutOfProcess.builder().directory(tmp.resolve("ch")).ringCapacity(64 << 10)
                .stopGrace(Duration.ofSeconds(30)).jvmOptions("-XX:TieredStopAtLevel=1").build();
        List<String> runs = new ArrayList<>();
        for (int r = 0; r < RUNS; r++) {
            runs.add(run(ending, ending.ordinal() * 1000 + r, host));
        }
        System.out.println(ending + ": " + runs);
    }

    /** One run: flood an agent, end its child, and count; returns the run's figures. */
    private String run(Ending ending, int run, OutOfProcess host) throws Exception {
        String name = "flood-" + run;
        AgentHandle<Sendable> agent = rt.spawn(name, new Agents.Sink(), SpawnOptions.DEFAULTS.outOfProcess(host));
        LongAdder sent = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            long first = (long) s << 40;
            senders.add(Thread.ofPlatform().name(name + "-sender-" + s).start(() -> {
                for (long seq = first; !stop.get(); seq++) {
                    try {
                        agent.ref().signal(new Flood(run, seq)); // true: written; false: a dead letter
                        sent.increment();
                    } catch (MailboxFullException notSent) {
                        // refused to its sender: neither sent nor a dead letter
                    }
                }
            }));
        }
        Await.until(() -> agent.metrics().received() >= TAKEN_BEFORE_THE_END, WATCHDOG, name + " to take messages");
        switch (ending) {
            case SIGKILL -> {
                Children.await(name).destroyForcibly();
                AgentFailedException e = assertThrows(AgentFailedException.class, () -> agent.join(WATCHDOG));
                assertInstanceOf(ChildProcessException.class, e.getCause());
            }
            case STOP_GRACEFUL -> {
                agent.stop();
                agent.join(WATCHDOG);
            }
            case STOP_IMMEDIATE -> {
                agent.stopNow();
                agent.join(WATCHDOG);
            }
        }
        stop.set(true);
        for (Thread t : senders) {
            t.join(WATCHDOG);
        }
        LongAdder dead = DEAD.computeIfAbsent(run, k -> new LongAdder());
        String figures = "sent " + sent.sum() + ", taken " + agent.metrics().received() + ", dead letters "
                + dead.sum();
        try {
            Await.until(() -> sent.sum() == agent.metrics().received() + dead.sum(), Duration.ofSeconds(20),
                    "every message of run " + run + " (" + ending + ") to be accounted for");
        } catch (AssertionError lost) {
            throw new AssertionError(ending + ", run " + run + ": " + figures + "; "
                    + (sent.sum() - agent.metrics().received() - dead.sum()) + " vanished", lost);
        }
        assertEquals(sent.sum(), agent.metrics().received() + dead.sum(), figures);
        return agent.metrics().received() + "+" + dead.sum();
    }
}
