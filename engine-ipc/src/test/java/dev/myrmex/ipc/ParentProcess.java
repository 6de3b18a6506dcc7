package dev.myrmex.ipc;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.ipc.internal.ChildLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A parent runtime in a JVM of its own, for the tests that kill it: it hosts one out-of-process {@code Echo} whose
 * channel goes to the directory given as its argument, prints "ready PID" (its child's), then waits to be killed.
 */
public final class ParentProcess {
    private ParentProcess() {
    }

    /** The command line that runs this class with {@code channels} as the directory. */
    static List<String> command(Path channels) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ChildLauncher.inheritedFlags());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ParentProcess.class.getName());
        cmd.add(channels.toString());
        return cmd;
    }

    public static void main(String[] args) throws Exception {
        AgentRuntime rt = AgentRuntime.builder().workers(1).build();
        rt.start();
        AgentHandle<Sendable> echo = rt.spawn("stranded", new Agents.Echo(), SpawnOptions.DEFAULTS.outOfProcess(
                OutOfProcess.builder().directory(Path.of(args[0])).build()));
        echo.ref().ask(new Agents.Ping(1, "up"), Agents.Pong.class, Duration.ofSeconds(60)).get(60, TimeUnit.SECONDS);
        System.out.println("ready " + Children.await("stranded").pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // until the test kills this process
    }
}
