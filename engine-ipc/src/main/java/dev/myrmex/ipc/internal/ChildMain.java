package dev.myrmex.ipc.internal;

import dev.myrmex.core.AgentFailedException;
import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.spi.StackTraces;
import dev.myrmex.core.time.RuntimeClock;
import dev.myrmex.ipc.MessageCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import jnr.constants.platform.RLIMIT;

/**
 * The child process of an out-of-process agent: maps the channel, applies its limits to itself and checks its
 * isolation (before any agent code is loaded), starts a heartbeat and a small runtime of its own, runs the behavior
 * on the channel, reports how it ended, and exits. Exit status: 0 after a normal end, 1 after a failure,
 * {@link ChildLauncher#START_FAILED} if it could not start. In its {@link Sandbox} the kernel ends it when the parent
 * dies; without one it watches the parent and exits on its own.
 */
public final class ChildMain {
    private static final int PARENT_GONE = 75;

    private ChildMain() {
    }

    public static void main(String[] argv) throws Exception {
        ChildArgs args;
        Channel channel;
        try {
            args = ChildArgs.parse(argv);
            channel = Channel.open(args.channel());
        } catch (IOException | RuntimeException e) {
            System.err.println("myrmex child: cannot start: " + e.getMessage());
            System.exit(ChildLauncher.START_FAILED);
            return;
        }
        channel.counter(Counter.CHILD_PID).setRelease(ProcessHandle.current().pid());
        Channel ch = channel;
        // A thread dying of an Error nobody caught (a class that cannot load once the open-file limit is reached)
        // leaves a process that cannot be trusted to go on: rather than a child that beats but never answers, report it
        // and exit. A thread dying of an exception is reported as the JVM does, and the process goes on.
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (!(e instanceof Error)) {
                System.err.print("Exception in thread \"" + t.getName() + "\" ");
                e.printStackTrace();
                return;
            }
            String why = "thread " + t.getName() + " died: " + StackTraces.of(e);
            System.err.println("myrmex child: " + why);
            Frames.writeEnded(ch.toParent(), FrameDescriptor.OUTCOME_FAILED, why);
            Runtime.getRuntime().halt(1);
        });
        AgentRuntime rt = AgentRuntime.builder().workers(args.workers()).build();
        rt.start();
        warmUp(rt);
        Behavior<Sendable> behavior;
        MessageCodec codec;
        try {
            if (args.noNetwork()) {
                checkIsolated();
            }
            if (args.sandboxed()) {
                checkSandboxed();
            }
            applyLimits(args);
            codec = BehaviorSpec.instance(args.codecClass(), MessageCodec.class);
            behavior = BehaviorSpec.make(args.behaviorSpec());
        } catch (Exception | LinkageError e) {
            String why = e.getMessage() != null ? e.getMessage() : e.toString();
            System.err.println("myrmex child: cannot start: " + why);
            Frames.writeEnded(channel.toParent(), FrameDescriptor.OUTCOME_FAILED, why);
            System.exit(ChildLauncher.START_FAILED);
            return;
        }
        startHeartbeat(channel, args.heartbeatMillis(), !args.sandboxed());
        ChildSide side = new ChildSide(rt, channel, codec, args.agentName(), args.sendTimeoutMillis());
        AgentHandle<Sendable> agent = rt.spawn(args.agentName(), ctx -> {
            RingContext<Sendable> rc = side.context(ctx);
            Frames.writeStarted(channel.toParent());
            behavior.run(rc);
        });
        byte outcome;
        String text;
        try {
            Object result = agent.join();
            outcome = FrameDescriptor.OUTCOME_STOPPED;
            text = result == null ? "" : String.valueOf(result);
        } catch (AgentFailedException e) {
            outcome = FrameDescriptor.OUTCOME_FAILED;
            Throwable failure = e.getCause() != null ? e.getCause() : e;
            side.behaviorFailed(failure); // before ENDED, in the same ring: an ask of the failed message fails first
            text = StackTraces.of(failure);
        }
        long deadline = RuntimeClock.system().nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!Frames.writeEnded(channel.toParent(), outcome, text) && RuntimeClock.system().nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // the parent's reader is behind: let it catch up
        }
        System.exit(outcome == FrameDescriptor.OUTCOME_STOPPED ? 0 : 1);
    }

    /**
     * Runs an agent that fails and one that returns, and formats a stack trace, before the limits apply, so that the
     * runtime has loaded every class it needs to end an agent and report it (a class in a directory of the classpath
     * takes a file descriptor to load): once the hosted agent has used up its open files (or its memory), ending it
     * must not need a class file opened.
     */
    private static void warmUp(AgentRuntime rt) throws InterruptedException, TimeoutException {
        AgentHandle<Sendable> fails = rt.spawn("myrmex-warm-up-failure", ctx -> {
            throw new IllegalStateException("warm-up");
        });
        AgentHandle<Sendable> returns = rt.spawn("myrmex-warm-up", ctx -> ctx.result("warm-up"));
        try {
            fails.join(Duration.ofSeconds(30));
        } catch (AgentFailedException expected) {
            StackTraces.of(expected); // the path being warmed up: the end reports a failure as its stack trace
        }
        returns.join(Duration.ofSeconds(30));
        StackTraces.of(new IllegalStateException("warm-up")); // main reports a failure so: load that too
    }



    /**
     * Fails unless the only network interface is loopback: the namespace asked for is in effect. Reads
     * /proc/self/net/dev, which lists the interfaces of this process's own network namespace.
     */
    private static void checkIsolated() throws IOException {
        List<String> others = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of("/proc/self/net/dev"));
        for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) { // two header lines
            int colon = line.indexOf(':');
            String name = colon < 0 ? line.strip() : line.substring(0, colon).strip();
            if (!name.isEmpty() && !name.equals("lo")) {
                others.add(name);
            }
        }
        if (!others.isEmpty()) {
            throw new IllegalStateException("network isolation is not in effect: interfaces " + others
                    + " are visible");
        }
    }

    /**
     * Fails unless the sandbox is in effect: no capability left, none to gain (empty bounding set, no_new_privs), no
     * nested user namespace allowed. The mechanisms are the kernel's; this only checks that they were set up.
     */
    private static void checkSandboxed() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if ((line.startsWith("CapEff:") || line.startsWith("CapBnd:") || line.startsWith("CapPrm:"))
                    && !line.substring(7).strip().matches("0+")) {
                wrong.add(line.replace('\t', ' '));
            } else if (line.startsWith("NoNewPrivs:") && !line.substring(11).strip().equals("1")) {
                wrong.add("no_new_privs is not set");
            }
        }
        if (!Files.readString(Path.of("/proc/sys/user/max_user_namespaces")).strip().equals("0")) {
            wrong.add("nested user namespaces are allowed");
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("the sandbox is not in effect: " + String.join(", ", wrong));
        }
    }

    private static void applyLimits(ChildArgs a) throws IOException {
        if (a.addressSpace() > 0) {
            long reserved = vmSizeBytes();
            if (reserved >= a.addressSpace()) {
                throw new IllegalStateException("address-space limit " + (a.addressSpace() >> 20) + " MB is below the "
                        + (reserved >> 20) + " MB the JVM has reserved already: raise it, or lower the heap");
            }
            Posix.limit(RLIMIT.RLIMIT_AS, a.addressSpace());
        }
        if (a.openFiles() > 0) {
            long open;
            try (var fds = Files.list(Path.of("/proc/self/fd"))) {
                open = fds.count();
            }
            if (open >= a.openFiles()) {
                throw new IllegalStateException("open-file limit " + a.openFiles() + " is below the " + open
                        + " files the JVM has open already");
            }
            Posix.limit(RLIMIT.RLIMIT_NOFILE, a.openFiles());
        }
        if (a.cpuSeconds() > 0) {
            Posix.limit(RLIMIT.RLIMIT_CPU, a.cpuSeconds(), a.cpuSeconds() + 1); // SIGXCPU, then SIGKILL
        }
        if (a.processes() > 0) {
            long tasks = sandboxTasks();
            if (tasks >= a.processes()) {
                throw new IllegalStateException("process limit " + a.processes() + " is below the " + tasks
                        + " processes and threads the sandbox runs already");
            }
            // Counted per user namespace, so per sandbox; root ignores it (a pids cgroup binds root, when the parent
            // could make one).
            Posix.limit(RLIMIT.RLIMIT_NPROC, a.processes());
        }
    }

    /** The tasks (threads of every process) in this PID namespace: the sandbox's /proc shows no other. */
    private static long sandboxTasks() throws IOException {
        long n = 0;
        try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try (var tasks = Files.list(p.resolve("task"))) {
                    n += tasks.count();
                } catch (IOException gone) {
                    // the process exited meanwhile
                }
            }
        }
        return n;
    }

    private static long vmSizeBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmSize:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
            }
        }
        throw new IOException("no VmSize in /proc/self/status");
    }

    /**
     * Beats every {@code everyMillis} and exits the child once the parent is gone. Gone means: when this process was
     * started by the parent itself, that its parent has changed ({@code getppid}: the kernel hands an orphan to another
     * process the moment its parent exits, zombie or not); otherwise (a launcher between them) that the parent no
     * longer runs ({@link Posix#alive}: a zombie counts as dead). Both checks are made once before the first beat, so
     * that the native layer is loaded and its first, slow call (it may unpack a library) delays no beat: after the
     * first beat the parent allows only the heartbeat timeout. A sandboxed child does not watch: its parent's pid is
     * outside its PID namespace, and the kernel kills it when the parent dies (the sandbox's parent-death signal).
     */
    private static void startHeartbeat(Channel channel, long everyMillis, boolean watchParent) {
        long parent = channel.parentPid();
        boolean direct = Posix.parentPid() == parent;
        BooleanSupplier parentGone = !watchParent ? () -> false
                : direct ? () -> Posix.parentPid() != parent : () -> !Posix.alive(parent);
        if (parentGone.getAsBoolean()) {
            exitParentGone(parent);
        }
        Thread.ofPlatform().daemon().name("myrmex-child-heartbeat").start(() -> {
            var beat = channel.counter(Counter.CHILD_HEARTBEAT);
            while (true) {
                beat.incrementRelease();
                if (parentGone.getAsBoolean()) {
                    exitParentGone(parent);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(everyMillis));
            }
        });
    }

    private static void exitParentGone(long parent) {
        System.err.println("myrmex child: parent " + parent + " is gone; exiting");
        Runtime.getRuntime().halt(PARENT_GONE);
    }
}
