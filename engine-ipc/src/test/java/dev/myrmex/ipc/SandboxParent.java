package dev.myrmex.ipc;

import static dev.myrmex.testkit.Await.WATCHDOG;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.core.Val;
import dev.myrmex.ipc.Agents.Ping;
import dev.myrmex.ipc.Agents.Pong;
import dev.myrmex.ipc.Attacks.Attacker;
import dev.myrmex.ipc.Attacks.Outcome;
import dev.myrmex.ipc.Attacks.Recorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A parent JVM of its own, for {@link SandboxParentTest}: run as another user, or where no namespace may be made. It
 * spawns an attacker (limited to {@link #PROCESSES} tasks) and a neighbour, has the attacker try each attack, prints
 * one line {@code key value...} per result, then {@code ready} and waits to be killed.
 *
 * <pre>
 * java ... dev.myrmex.ipc.SandboxParent DIRECTORY
 * </pre>
 * Where the sandbox is refused it prints {@code refused REASON}, then runs the attacker without the sandbox and prints
 * {@code unsandboxed ANSWER}.
 */
public final class SandboxParent {
    static final int PROCESSES = 64;

    private SandboxParent() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0]);
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {
            rt.start();
            AgentHandle<Sendable> attacker;
            try {
                attacker = spawn(rt, "attacker", new Attacker(), base.resolve("ch"),
                        ProcessLimits.NONE.withProcesses(PROCESSES));
            } catch (IllegalStateException refused) {
                say("refused " + refused.getMessage().replace('\n', ' '));
                AgentHandle<Sendable> open = spawn(rt, "open", new Attacker(), base.resolve("ch"),
                        ProcessLimits.NONE.withoutSandbox());
                say("unsandboxed " + ask(open, new Attacks.CountTasks()).succeeded());
                say("ready");
                Thread.currentThread().join(); // never returns: the test kills this process
                return;
            }
            AgentHandle<Sendable> neighbour = spawn(rt, "neighbour", new Recorder(), base.resolve("other"),
                    ProcessLimits.NONE);
            neighbour.ref().ask(new Ping(1, "before"), Pong.class, WATCHDOG).get(60, TimeUnit.SECONDS);
            say("tasks " + ask(attacker, new Attacks.CountTasks()).detail());

            Process sibling = new ProcessBuilder("sleep", "600").start(); // this user's, outside the sandbox
            Outcome kill = ask(attacker, new Attacks.Kill(sibling.pid(), 15));
            say("kill-sibling " + kill.succeeded() + " " + kill.detail());
            ask(attacker, new Attacks.CountTasks());
            say("sibling-alive " + sibling.isAlive());
            sibling.destroyForcibly();

            Outcome parent = ask(attacker, new Attacks.Kill(ProcessHandle.current().pid(), 18));
            say("kill-parent " + parent.succeeded() + " " + parent.detail());

            Path theirs;
            try (Stream<Path> files = Files.list(base.resolve("other"))) {
                theirs = files.filter(f -> f.toString().endsWith(".chan")).findFirst().orElseThrow();
            }
            Outcome inject = ask(attacker, new Attacks.Inject(theirs.toString()));
            say("inject " + inject.succeeded() + " " + inject.detail());
            say("neighbour-saw " + neighbour.ref().ask(new Ping(2, "after"), Pong.class, WATCHDOG)
                    .get(60, TimeUnit.SECONDS).text());

            Outcome fork = ask(attacker, new Attacks.StartSleeps(200));
            say("fork " + fork.succeeded() + " " + fork.detail());

            long sleep = Long.parseLong(ask(attacker, new Attacks.StartSleep()).detail());
            ProcessHandle jvm = Children.await("attacker");
            say("jvm " + jvm.pid());
            say("sleep " + Children.hostPid(jvm, sleep));
            say("ready");
            Thread.currentThread().join(); // never returns: the test kills this process
        }
    }

    private static AgentHandle<Sendable> spawn(AgentRuntime rt, String name, Behavior<Sendable> behavior, Path dir,
                                               ProcessLimits limits) {
        return rt.spawn(name, behavior, SpawnOptions.DEFAULTS.outOfProcess(OutOfProcess.builder().directory(dir)
                .limits(limits).heartbeatTimeout(Duration.ofSeconds(10)).build()));
    }

    private static Outcome ask(AgentHandle<Sendable> agent, Val attack) throws Exception {
        return agent.ref().ask(attack, Outcome.class, WATCHDOG).get(60, TimeUnit.SECONDS);
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
