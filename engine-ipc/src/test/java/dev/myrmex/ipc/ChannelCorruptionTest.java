package dev.myrmex.ipc;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentFailedException;
import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.AgentState;
import dev.myrmex.core.AskFailedException;
import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.ipc.Agents.Corrupt;
import dev.myrmex.ipc.Agents.Echo;
import dev.myrmex.ipc.Agents.Ping;
import dev.myrmex.ipc.Agents.Pong;
import dev.myrmex.ipc.internal.Corruption;
import dev.myrmex.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A child that corrupts its own channel, each way a hostile or broken child can (issue 19, item 2): its agent ends
 * FAILED with a typed cause within the heartbeat timeout, the messages waiting for it are dead letters, an asker
 * reading the ring while it waits sees no raw exception but its ask failing at once as unreachable (issue 21, item 4),
 * and the parent and another agent go on.
 */
class ChannelCorruptionTest {
    /**
     * The child keeps beating while it corrupts its channel, so a parent that does not see the corruption itself never
     * ends the agent: any bound tells detection from deafness. 5 s, not the default 1 s: the measured time includes
     * the child noticing its trigger file and the kernel tearing down its sandbox, 2.4 s once with four builds
     * sharing this machine's two cores.
     */
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final int PENDING = 100;

    @TempDir
    static Path tmp;
    private static AgentRuntime rt;
    private static AgentHandle<Sendable> neighbour;
    private static final List<DeadLetter> DEAD = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startRuntimeAndANeighbour() throws Exception {
        rt = AgentRuntime.builder().workers(2).build();
        rt.start();
        rt.deadLetters().subscribe(DEAD::add);
        neighbour = rt.spawn("neighbour", new Echo(), SpawnOptions.DEFAULTS.outOfProcess(
                OutOfProcess.builder().directory(tmp.resolve("ch")).build()));
        assertEquals(new Pong(0, "up"),
                neighbour.ref().ask(new Ping(0, "up"), Pong.class, WATCHDOG).get(60, TimeUnit.SECONDS));
    }

    @AfterAll
    static void closeRuntime() {
        rt.close();
    }

    @ParameterizedTest
    @EnumSource(Corruption.class)
    void aChildThatCorruptsItsChannelFailsAloneWithATypedCause(Corruption how) throws Exception {
        OutOfProcess host = OutOfProcess.builder().directory(tmp.resolve("ch")).heartbeatTimeout(HEARTBEAT).build();
        String name = "hostile-" + how.name().toLowerCase();
        AgentHandle<Sendable> victim = rt.spawn(name, new Echo(), SpawnOptions.DEFAULTS.outOfProcess(host));
        assertEquals(new Pong(1, "up"), victim.ref().ask(new Ping(1, "up"), Pong.class, WATCHDOG)
                .get(60, TimeUnit.SECONDS));

        Path trigger = tmp.resolve(name + ".go");
        victim.ref().signal(new Corrupt(how.name(), trigger.toString()));
        Await.until(() -> victim.metrics().received() == 2, WATCHDOG, "the child to take the order and wait");
        for (int i = 0; i < PENDING; i++) {
            victim.ref().signal(new Ping(i, name)); // queued behind the order: never taken
        }
        // a timeout far beyond the test's waits: the ask must fail because the child died, not time out
        CompletableFuture<Pong> asked = victim.ref().ask(new Ping(PENDING, name), Pong.class, Duration.ofMinutes(10));
        AtomicReference<Throwable> askOutcome = new AtomicReference<>();
        Thread asker = Thread.ofPlatform().name(name + "-asker").start(() -> {
            while (true) { // short gets: this platform thread reads the child's ring itself, over and over
                try {
                    asked.get(50, TimeUnit.MICROSECONDS);
                    askOutcome.set(new AssertionError("the ask was answered"));
                    return;
                } catch (TimeoutException notYet) {
                    // go on reading
                } catch (Throwable e) {
                    askOutcome.set(e);
                    return;
                }
            }
        });

        long start = System.nanoTime();
        Files.createFile(trigger);
        AgentFailedException e = assertThrows(AgentFailedException.class, () -> victim.join(WATCHDOG));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        ChildProcessException cause = assertInstanceOf(ChildProcessException.class, e.getCause());
        assertEquals(ChildProcessException.Reason.CORRUPT_CHANNEL, cause.reason(), cause.getMessage());
        assertInstanceOf(FrameDecodeException.class, cause.getCause(), cause.getMessage());
        assertEquals(AgentState.FAILED, victim.state());
        assertTrue(tookMillis < HEARTBEAT.toMillis(), how + ": failed after " + tookMillis + " ms, more than the"
                + " heartbeat timeout: " + cause.getMessage());

        Await.until(() -> deadPings(name) == PENDING + 1, "the pending messages and the ask to be dead letters");
        assertTrue(DEAD.stream().filter(d -> d.message().payload() instanceof Ping p && p.text().equals(name))
                .allMatch(d -> d.reason() == DeadLetter.Reason.RECIPIENT_DIED));

        asker.join(WATCHDOG);
        Throwable outcome = askOutcome.get();
        assertInstanceOf(ExecutionException.class, outcome, "the asker saw " + outcome);
        AskFailedException failed = assertInstanceOf(AskFailedException.class, outcome.getCause(),
                "the asker saw " + outcome);
        assertEquals(AskFailedException.Reason.RECIPIENT_UNREACHABLE, failed.reason(), failed.getMessage());
        assertEquals(name, failed.recipient());

        assertEquals(new Pong(2, how.name()), neighbour.ref().ask(new Ping(2, how.name()), Pong.class, WATCHDOG)
                .get(60, TimeUnit.SECONDS), "another agent of the runtime goes on answering");
    }

    private static long deadPings(String name) {
        return DEAD.stream().filter(d -> d.message().payload() instanceof Ping p && p.text().equals(name)).count();
    }
}
