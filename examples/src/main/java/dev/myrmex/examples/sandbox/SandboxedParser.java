package dev.myrmex.examples.sandbox;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.DirectContext;
import dev.myrmex.core.LifecycleHooks;
import dev.myrmex.core.Message;
import dev.myrmex.core.Request;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.core.Val;
import dev.myrmex.core.supervision.RestartPolicy;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.ipc.OutOfProcess;
import dev.myrmex.ipc.ProcessLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An untrusted parser run out of process: a child JVM in its sandbox, with a 64 MB heap, 30 s of CPU, 256 open files
 * and no network. It parses some inputs, is made to blow its heap on purpose (the limit ends its process; the
 * supervisor starts a new one), then to throw, and parses again after each crash: the parent never noticed more than
 * a failed agent.
 *
 * <pre>
 * ./myrmex example sandbox
 * </pre>
 */
public final class SandboxedParser {
    /** Parse this text. */
    public record Parse(String text) implements Request<Parse, Parsed> {
    }

    /** What the parse found. */
    public record Parsed(String text, int words, long childPid) implements Val {
    }

    /** Misbehave: "heap" (allocate without end) or "throw". */
    public record Crash(String how) implements Val {
    }

    /** The untrusted code: recreated in the child from this class. */
    public static final class Parser implements Behavior<Sendable> {
        @Override
        public void run(DirectContext<Sendable> ctx) throws Exception {
            while (true) {
                Message<Sendable> m = ctx.receive();
                switch (m.payload()) {
                    case Parse p -> ctx.reply(p, new Parsed(p.text(), p.text().isBlank() ? 0
                            : p.text().strip().split("\\s+").length, ProcessHandle.current().pid()));
                    case Crash c when c.how().equals("heap") -> {
                        List<long[]> hog = new ArrayList<>();
                        while (true) {
                            hog.add(new long[1 << 20]); // 8 MB at a time, until the heap limit ends the process
                        }
                    }
                    case Crash c -> throw new IllegalStateException("the parser was asked to fail: " + c.how());
                    default -> throw new IllegalArgumentException("unexpected " + m.payload());
                }
            }
        }
    }

    private SandboxedParser() {
    }

    public static void main(String[] args) throws Exception {
        ProcessLimits limits = ProcessLimits.NONE.withHeap(64 << 20).withCpuTime(Duration.ofSeconds(30))
                .withOpenFiles(256).withoutNetwork();
        AtomicInteger restarts = new AtomicInteger();
        LifecycleHooks hooks = new LifecycleHooks() {
            @Override
            public void onRestart(AgentHandle<?> agent, int n, Throwable cause) {
                restarts.set(n);
                System.out.println("  supervisor: restarting " + agent.name() + " (restart " + n + ") after: "
                        + firstLine(cause));
            }
        };
        try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {
            rt.start();
            AgentHandle<Sendable> parser = spawn(rt, limits, hooks);
            if (parser == null) {
                limits = ProcessLimits.NONE.withHeap(limits.heapBytes()).withCpuTime(limits.cpuTime())
                        .withOpenFiles(limits.openFiles()).withoutSandbox();
                parser = spawn(rt, limits, hooks);
            }
            System.out.println("parser runs out of process: " + limits);
            parse(parser, "the quick brown fox");
            System.out.println("crash 1: blow the heap");
            parser.ref().signal(new Crash("heap"));
            parser.ref().signal(new Parse("queued behind the crash")); // never taken: a dead letter, not lost
            awaitRestarts(restarts, 1);
            parse(parser, "jumps over the lazy dog");
            System.out.println("crash 2: throw");
            parser.ref().signal(new Crash("throw"));
            awaitRestarts(restarts, 2);
            parse(parser, "and is parsed again");
            long lost = rt.deadLetters().count(DeadLetter.Reason.RECIPIENT_DIED);
            System.out.println("restarts: " + restarts.get() + ", state " + parser.state() + ", messages lost with a"
                    + " dead child (dead letters): " + lost);
            if (restarts.get() != 2) {
                throw new IllegalStateException("expected 2 restarts, saw " + restarts.get());
            }
        }
    }

    /**
     * Spawns the parser, or returns null (after saying why) if this system cannot sandbox it or cut it off the network.
     */
    private static AgentHandle<Sendable> spawn(AgentRuntime rt, ProcessLimits limits, LifecycleHooks hooks) {
        try {
            return rt.spawn("parser", new Parser(), SpawnOptions.DEFAULTS
                    .outOfProcess(OutOfProcess.builder().limits(limits).build())
                    .withSupervision(Supervision.of(RestartPolicy.ON_FAILURE))
                    .withHooks(hooks));
        } catch (IllegalStateException e) {
            System.out.println("no isolation here (" + e.getMessage() + "): running uncontained, with the network");
            return null;
        }
    }

    private static void awaitRestarts(AtomicInteger restarts, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (restarts.get() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the supervisor did not restart the parser within 60 s");
            }
            Thread.sleep(10);
        }
    }

    private static void parse(AgentHandle<Sendable> parser, String text) throws Exception {
        Parsed p = parser.ref().ask(new Parse(text), Duration.ofSeconds(60)).get(60, TimeUnit.SECONDS);
        System.out.println("  parsed '" + p.text() + "': " + p.words() + " words, in child pid " + p.childPid());
    }

    private static String firstLine(Throwable t) {
        String s = String.valueOf(t == null ? null : t.getMessage());
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
