package dev.myrmex.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentFailedException;
import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentState;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.core.journal.EventFilter;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.supervision.RestartPolicy;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.ipc.Agents.Echo;
import dev.myrmex.ipc.Agents.Misbehave;
import dev.myrmex.ipc.Agents.Ping;
import dev.myrmex.ipc.Agents.Pong;
import dev.myrmex.testkit.Await;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each limit, enforced on a child that breaks it; and the reason in the agent's state, failure and events. */
class ProcessLimitsTest extends RuntimeWithChannels {
    private static final Duration T = Duration.ofSeconds(90);

    private AgentHandle<Sendable> spawn(String name, ProcessLimits limits) {
        return rt.spawn(name, new Echo(), SpawnOptions.DEFAULTS.outOfProcess(host().limits(limits).build()));
    }

    /** Has the agent misbehave and returns why it died. */
    private ChildProcessException misbehave(AgentHandle<Sendable> agent, String how) throws Exception {
        agent.ref().signal(new Misbehave(how));
        AgentFailedException e = assertThrows(AgentFailedException.class, () -> agent.join(T));
        assertEquals(AgentState.FAILED, agent.state());
        ChildProcessException cause = assertInstanceOf(ChildProcessException.class, e.getCause());
        assertTrue(rt.flushJournal(Duration.ofSeconds(10)));
        String detail = rt.journal().query(EventFilter.ALL.types(EventType.AGENT_FAILED).agent(agent.name()), 10)
                .getFirst().details();
        assertTrue(detail.contains(cause.getMessage()), "the reason is in the agent's events: " + detail);
        return cause;
    }

    @Test
    void theHeapLimitEndsAChildThatOutgrowsIt() throws Exception {
        ChildProcessException e = misbehave(spawn("heap", ProcessLimits.NONE.withHeap(32 << 20)), "heap");
        assertEquals(ChildProcessException.Reason.MEMORY_LIMIT, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("OutOfMemoryError"), e.getMessage());
    }

    @Test
    void afterARestartForOutOfMemoryTheNextFailureIsToldForWhatItIs() throws Exception {
        // The child's output file is appended to by each incarnation: the second child's verdict must come from its
        // own output, not from the OutOfMemoryError the first one left there.
        AgentHandle<Sendable> agent = rt.spawn("twice", new Echo(), SpawnOptions.DEFAULTS
                .outOfProcess(host().limits(ProcessLimits.NONE.withHeap(32 << 20)).build())
                .withSupervision(Supervision.of(RestartPolicy.ON_FAILURE).withMaxRestarts(1, Duration.ofMinutes(10))));
        agent.ref().signal(new Misbehave("heap"));
        Await.until(() -> agent.metrics().restarts() == 1, T, "the restart after running out of memory");
        assertEquals(new Pong(1, "back"), agent.ref().ask(new Ping(1, "back"), Pong.class, T)
                .get(90, TimeUnit.SECONDS));
        ChildProcessException e = misbehave(agent, "throw");
        assertEquals(ChildProcessException.Reason.BEHAVIOR_FAILED, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("asked to fail"), e.getMessage());
        assertTrue(!e.getMessage().contains("OutOfMemoryError"), "nothing of the first child's death: "
                + e.getMessage());
    }

    @Test
    void theAddressSpaceLimitStopsNativeAllocations() throws Exception {
        ChildProcessException e = misbehave(spawn("native", ProcessLimits.NONE.withHeap(32 << 20)
                .withAddressSpace(2L << 30)), "arena");
        assertEquals(ChildProcessException.Reason.MEMORY_LIMIT, e.reason(), e.getMessage());
    }

    @Test
    void theCpuLimitEndsAChildThatSpins() throws Exception {
        ChildProcessException e = misbehave(spawn("spinner", ProcessLimits.NONE.withCpuTime(Duration.ofSeconds(3))),
                "spin");
        assertEquals(ChildProcessException.Reason.CPU_LIMIT, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("SIGXCPU"), e.getMessage());
    }

    @Test
    void theOpenFileLimitFailsTheAgentThatOpensTooMany() throws Exception {
        ChildProcessException e = misbehave(spawn("files", ProcessLimits.NONE.withOpenFiles(256)), "files");
        assertEquals(ChildProcessException.Reason.OPEN_FILES_LIMIT, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("Too many open files"), e.getMessage());
    }

    @Test
    void aLimitBelowWhatTheJvmNeedsFailsTheStartWithTheFigures() throws Exception {
        AgentHandle<Sendable> agent = spawn("cramped", ProcessLimits.NONE.withOpenFiles(3));
        AgentFailedException e = assertThrows(AgentFailedException.class, () -> agent.join(T));
        ChildProcessException cause = assertInstanceOf(ChildProcessException.class, e.getCause());
        assertEquals(ChildProcessException.Reason.START_FAILED, cause.reason());
        assertTrue(cause.getMessage().contains("open-file limit 3 is below"), cause.getMessage());
    }

    @Test
    void withoutNetworkTheChildCannotConnectEvenToThisHost() throws Exception {
        try {
            dev.myrmex.ipc.internal.ChildLauncher.networkIsolation();
        } catch (IllegalStateException none) { // this system allows no namespace: the spawn must refuse, not run open
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> spawn("cut", ProcessLimits.NONE.withoutNetwork()));
            assertTrue(e.getMessage().contains("cannot cut an agent off the network"), e.getMessage());
            return;
        }
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String connect = "connect:" + server.getLocalPort();
            AgentHandle<Sendable> open = spawn("open", ProcessLimits.NONE);
            Pong p = open.ref().ask(new Misbehave(connect), Pong.class, T).get(90, TimeUnit.SECONDS);
            assertEquals("connected", p.text(), "with the network allowed the same code connects");

            AgentHandle<Sendable> cut = spawn("cut", ProcessLimits.NONE.withoutNetwork());
            assertEquals(new Pong(1, "up"), cut.ref().ask(new Ping(1, "up"), Pong.class, T).get(90, TimeUnit.SECONDS),
                    "the isolated child works through its rings");
            ChildProcessException e = misbehave(cut, connect);
            assertEquals(ChildProcessException.Reason.BEHAVIOR_FAILED, e.reason());
            assertTrue(e.getMessage().contains("Network is unreachable"), e.getMessage());
        }
    }
}
