package dev.myrmex.ipc;

import static dev.myrmex.testkit.Await.WATCHDOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.AgentFailedException;
import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.core.Val;
import dev.myrmex.ipc.Agents.Ping;
import dev.myrmex.ipc.Agents.Pong;
import dev.myrmex.ipc.Attacks.Attacker;
import dev.myrmex.ipc.Attacks.Outcome;
import dev.myrmex.ipc.Attacks.Recorder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sandbox, attacked from inside: each attempt runs in a child agent ({@link Attacker}) and reports what happened.
 * Each containment test also runs without the sandbox ({@code sandboxed = false}), where the same attempt must get
 * through: the twin that shows the test sees a breach when there is one.
 */
class SandboxTest extends RuntimeWithChannels {
    private static final int SIGKILL = 9;
    private static final int SIGTERM = 15;
    private static final int SIGCONT = 18;
    /** Processes this test started or found, stopped by pid at the end whatever happened. */
    private final List<Long> toKill = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        toKill.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    private AgentHandle<Sendable> spawn(String name, Behavior<Sendable> behavior, Path dir, ProcessLimits limits) {
        // A generous heartbeat timeout: several child JVMs start at once here, on a machine that may be loaded.
        OutOfProcess host = OutOfProcess.builder().directory(dir).limits(limits)
                .heartbeatTimeout(Duration.ofSeconds(10)).build();
        return rt.spawn(name, behavior, SpawnOptions.DEFAULTS.outOfProcess(host));
    }

    private AgentHandle<Sendable> attacker(boolean sandboxed) {
        return spawn("attacker", new Attacker(), tmp.resolve("ch"), limits(sandboxed));
    }

    private static ProcessLimits limits(boolean sandboxed) {
        return sandboxed ? ProcessLimits.NONE : ProcessLimits.NONE.withoutSandbox();
    }

    private static Outcome attempt(AgentHandle<Sendable> agent, Val attack) throws Exception {
        return agent.ref().ask(attack, Outcome.class, WATCHDOG).get(60, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "sandboxed = {0}")
    @ValueSource(booleans = {true, false})
    void signallingAnotherProcessOfTheSameUserFails(boolean sandboxed) throws Exception {
        Process sibling = new ProcessBuilder("sleep", "600").start(); // same user, started by the test
        toKill.add(sibling.pid());
        AgentHandle<Sendable> agent = attacker(sandboxed);
        Outcome kill = attempt(agent, new Attacks.Kill(sibling.pid(), SIGTERM));
        if (sandboxed) {
            assertFalse(kill.succeeded(), "SIGTERM to a process outside the sandbox: " + kill.detail());
            assertEquals("No such process", kill.detail(), "outside its PID namespace there is nothing to name");
            attempt(agent, new Attacks.CountTasks()); // one more round trip: a signal sent would have landed by now
            assertTrue(sibling.isAlive(), "the sibling survives");
        } else {
            assertTrue(kill.succeeded(), kill.detail());
            assertTrue(sibling.waitFor(60, TimeUnit.SECONDS), "without the sandbox the sibling is killed");
        }
    }

    @ParameterizedTest(name = "sandboxed = {0}")
    @ValueSource(booleans = {true, false})
    void signallingTheParentFails(boolean sandboxed) throws Exception {
        AgentHandle<Sendable> agent = attacker(sandboxed);
        long parent = ProcessHandle.current().pid();
        for (int signal : new int[] {0, SIGCONT}) { // 0 asks whether it exists; SIGCONT is harmless if it arrives
            Outcome o = attempt(agent, new Attacks.Kill(parent, signal));
            assertEquals(!sandboxed, o.succeeded(), "signal " + signal + " to the parent: " + o.detail());
        }
        Outcome proc = attempt(agent, new Attacks.ListDirectory("/proc/" + parent));
        assertEquals(!sandboxed, proc.succeeded(), "the parent in the child's /proc: " + proc.detail());
    }

    @ParameterizedTest(name = "sandboxed = {0}")
    @ValueSource(booleans = {true, false})
    void otherAgentsChannelsCannotBeListedOpenedOrWritten(boolean sandboxed) throws Exception {
        Path same = tmp.resolve("ch");
        Path other = tmp.resolve("other");
        // one neighbour in the attacker's own channel directory, one in another host's
        AgentHandle<Sendable> near = spawn("near", new Recorder(), same, limits(sandboxed));
        AgentHandle<Sendable> far = spawn("far", new Recorder(), other, limits(sandboxed));
        for (AgentHandle<Sendable> n : List.of(near, far)) {
            assertEquals("before", n.ref().ask(new Ping(1, "before"), Pong.class, WATCHDOG)
                    .get(60, TimeUnit.SECONDS).text());
        }
        AgentHandle<Sendable> agent = attacker(sandboxed);
        attempt(agent, new Attacks.CountTasks()); // running
        Path own = channelOf(same, "attacker");
        Path nearChannel = channelOf(same, "near");
        Path farChannel = channelOf(other, "far");

        Outcome listSame = attempt(agent, new Attacks.ListDirectory(same.toString()));
        Outcome listOther = attempt(agent, new Attacks.ListDirectory(other.toString()));
        if (sandboxed) {
            assertEquals(own.getFileName().toString(), listSame.detail(), "its own channel is all it sees there");
            assertEquals("", listOther.detail(), "another host's directory looks empty");
        } else {
            assertTrue(listSame.detail().contains(nearChannel.getFileName().toString()), listSame.detail());
            assertTrue(listOther.detail().contains(farChannel.getFileName().toString()), listOther.detail());
        }
        for (Path target : List.of(nearChannel, farChannel)) {
            Outcome inject = attempt(agent, new Attacks.Inject(target.toString()));
            assertEquals(!sandboxed, inject.succeeded(), "writing into " + target + ": " + inject.detail());
        }
        for (AgentHandle<Sendable> n : List.of(near, far)) {
            String seen = n.ref().ask(new Ping(2, "after"), Pong.class, WATCHDOG).get(60, TimeUnit.SECONDS).text();
            assertEquals(sandboxed ? "before,after" : "before,injected,after", seen, "what " + n.name() + " took");
        }
        Outcome ownStillWorks = attempt(agent, new Attacks.CountTasks());
        assertTrue(ownStillWorks.succeeded(), "the attacker's own channel still works");
    }

    /** The channel file of agent {@code name} in {@code dir}, as the parent sees it. */
    private static Path channelOf(Path dir, String name) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            return all.stream().filter(f -> f.getFileName().toString().startsWith(name + "-")
                    && f.getFileName().toString().endsWith(".chan")).findFirst()
                    .orElseThrow(() -> new AssertionError("no channel of " + name + " in " + all));
        }
    }

    @ParameterizedTest(name = "sandboxed = {0}")
    @ValueSource(booleans = {true, false})
    void aProcessTheAgentStartedDiesWhenItsChildIsKilled(boolean sandboxed) throws Exception {
        AgentHandle<Sendable> agent = attacker(sandboxed);
        long sleep = startSleep(agent);
        ProcessHandle jvm = Children.await("attacker");
        assertTrue(jvm.destroyForcibly()); // SIGKILL, by pid, from outside: a crash
        AgentFailedException e = assertThrows(AgentFailedException.class, () -> agent.join(WATCHDOG));
        assertEquals(ChildProcessException.Reason.KILLED,
                assertInstanceOf(ChildProcessException.class, e.getCause()).reason(), e.getMessage());
        assertEquals(sandboxed, gone(sleep), "once the child's end is seen, what it started is gone (sandboxed)");
    }

    @ParameterizedTest(name = "sandboxed = {0}")
    @ValueSource(booleans = {true, false})
    void aProcessTheAgentStartedDiesWhenTheAgentStopsGracefully(boolean sandboxed) throws Exception {
        AgentHandle<Sendable> agent = attacker(sandboxed);
        long sleep = startSleep(agent);
        agent.stop();
        agent.join(WATCHDOG);
        assertEquals(sandboxed, gone(sleep), "once the child's end is seen, what it started is gone (sandboxed)");
    }

    /** Has the agent start {@code sleep 600}; returns its pid as this JVM sees it. */
    private long startSleep(AgentHandle<Sendable> agent) throws Exception {
        Outcome started = attempt(agent, new Attacks.StartSleep());
        long host = Children.hostPid(Children.await(agent.name()), Long.parseLong(started.detail()));
        toKill.add(host);
        assertFalse(gone(host));
        return host;
    }

    private static boolean gone(long pid) {
        return Children.gone(pid);
    }

    @ParameterizedTest(name = "sandboxed = {0}")
    @ValueSource(booleans = {true, false})
    void systemVSharedMemoryOfTheHostIsNotVisible(boolean sandboxed) throws Exception {
        Process mk = new ProcessBuilder("ipcmk", "-M", "4096").redirectErrorStream(true).start();
        String made = new String(mk.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, mk.waitFor(), made);
        String id = made.substring(made.lastIndexOf(' ') + 1); // "Shared memory id: N"
        try {
            Outcome ipcs = attempt(attacker(sandboxed), new Attacks.Run(List.of("ipcs", "-m")));
            boolean seen = ipcs.detail().lines().anyMatch(l -> l.startsWith("0x") && l.split("\\s+")[1].equals(id));
            assertEquals(!sandboxed, seen, "segment " + id + " in: " + ipcs.detail());
        } finally {
            new ProcessBuilder("ipcrm", "-m", id).start().waitFor();
        }
    }

    /** What the sandbox does not isolate, as the README says: the user's files, the network, unknown directories. */
    @Test
    void theSandboxLeavesTheUsersFilesAndTheNetworkOpen() throws Exception {
        Path file = Files.writeString(tmp.resolve("the-users-file"), "readable");
        Path unknown = Files.createDirectory(tmp.resolve("not-a-channel-directory-of-this-jvm"));
        Files.writeString(unknown.resolve("someone-else.chan"), "");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AgentHandle<Sendable> agent = attacker(true);
            Outcome read = attempt(agent, new Attacks.Run(List.of("cat", file.toString())));
            assertTrue(read.succeeded() && read.detail().endsWith("readable"), read.detail());
            Outcome write = attempt(agent, new Attacks.Run(List.of("cp", file.toString(), file + ".copy")));
            assertTrue(write.succeeded() && Files.exists(tmp.resolve("the-users-file.copy")), write.detail());
            Outcome list = attempt(agent, new Attacks.ListDirectory(unknown.toString()));
            assertEquals("someone-else.chan", list.detail(), "a directory no parent here uses is not hidden");
            Outcome connect = attempt(agent, new Attacks.Connect(server.getLocalPort()));
            assertTrue(connect.succeeded(), "with the network allowed it connects: " + connect.detail());
        }
    }

    @Test
    void startingProcessesBeyondTheLimitFailsInsideTheChild() throws Exception {
        int limit = 64;
        AgentHandle<Sendable> agent = spawn("attacker", new Attacker(), tmp.resolve("ch"),
                ProcessLimits.NONE.withProcesses(limit));
        long base = Long.parseLong(attempt(agent, new Attacks.CountTasks()).detail());
        assertTrue(base < limit, "the JVM's own tasks fit: " + base);
        Outcome fork = attempt(agent, new Attacks.StartSleeps(200));
        assertFalse(fork.succeeded(), fork.detail());
        int started = Integer.parseInt(fork.detail().substring(0, fork.detail().indexOf(' ')));
        assertTrue(fork.detail().contains("Cannot fork"), fork.detail());
        // the shell and its reaper thread in the JVM take two; every task counts against the one limit
        assertTrue(base + 2 + started <= limit, "base " + base + ", started " + started + ", limit " + limit);
        assertTrue(started > 0, fork.detail());
        assertTrue(attempt(agent, new Attacks.CountTasks()).succeeded(), "the agent itself goes on");
    }

    @Test
    void threadsBeyondTheLimitEndTheChildWithTheProcessLimitAsItsReason() throws Exception {
        AgentHandle<Sendable> agent = spawn("threads", new Attacker(), tmp.resolve("ch"),
                ProcessLimits.NONE.withProcesses(64));
        agent.ref().signal(new Attacks.StartThreads());
        AgentFailedException e = assertThrows(AgentFailedException.class, () -> agent.join(WATCHDOG));
        ChildProcessException cause = assertInstanceOf(ChildProcessException.class, e.getCause());
        assertEquals(ChildProcessException.Reason.PROCESS_LIMIT, cause.reason(), cause.getMessage());
        assertTrue(cause.getMessage().contains("limit of 64 processes"), cause.getMessage());
    }

    @Test
    void aProcessLimitNeedsTheSandbox() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProcessLimits.NONE.withoutSandbox().withProcesses(10));
        assertTrue(e.getMessage().contains("needs the sandbox"), e.getMessage());
    }

    @Test
    void theChildHasNoCapabilityAndNoWayToGainOne() throws Exception {
        AgentHandle<Sendable> agent = attacker(true);
        attempt(agent, new Attacks.CountTasks()); // running
        String status = Files.readString(Path.of("/proc/" + Children.await("attacker").pid() + "/status"));
        for (String field : List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")) {
            assertTrue(status.matches("(?s).*\\n" + field + ":\\s+0+\\n.*"), field + " in " + status);
        }
        assertTrue(status.matches("(?s).*\\nNoNewPrivs:\\s+1\\n.*"), status);
        // a nested user namespace would give it every capability there (and a cgroup namespace in which to mount the
        // pids hierarchy and raise its own limit); none may be made
        Outcome nested = attempt(agent, new Attacks.Run(List.of("unshare", "--user", "true")));
        assertFalse(nested.succeeded(), nested.detail());
        assertTrue(nested.detail().contains("No space left on device"), "user.max_user_namespaces is 0: "
                + nested.detail());
        // a sysctl: uid 0 (the child of a root parent) could write most of them without a capability
        Outcome sysctl = attempt(agent, new Attacks.Run(List.of("/bin/sh", "-c",
                "v=$(cat /proc/sys/kernel/printk_ratelimit) && echo $v > /proc/sys/kernel/printk_ratelimit")));
        assertFalse(sysctl.succeeded(), sysctl.detail());
        assertTrue(sysctl.detail().contains("Read-only file system"), sysctl.detail());
        // unmounting what hides the channel directory would show the other channels
        Outcome umount = attempt(agent, new Attacks.Run(List.of("umount", tmp.resolve("ch").toString())));
        assertFalse(umount.succeeded(), umount.detail());
        assertTrue(umount.detail().contains("must be superuser"), umount.detail());
    }
}
