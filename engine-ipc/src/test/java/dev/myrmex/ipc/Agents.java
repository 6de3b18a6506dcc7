package dev.myrmex.ipc;

import dev.myrmex.core.AgentContext;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AskFailedException;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.DirectContext;
import dev.myrmex.core.Iso;
import dev.myrmex.core.Message;
import dev.myrmex.core.MessageHandler;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.Val;
import dev.myrmex.ipc.internal.Channel;
import dev.myrmex.ipc.internal.Corruption;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/** Behaviors the tests run in child processes, and their messages. */
final class Agents {
    private Agents() {
    }

    record Ping(long n, String text) implements Val {
    }

    record Pong(long n, String text) implements Val {
    }

    /** Asks the child to send {@code count} numbered notes to {@code to}, then reply "done". */
    record Emit(AgentRef<Note> to, int count) implements Val {
    }

    record Note(long n) implements Val {
    }

    /** Asks the child to send a Note to itself {@code count} times and report the sum it received. */
    record Loop(int count) implements Val {
    }

    /**
     * Asks the child to ask {@code to} (an agent of the parent) a Ping with a ten-minute timeout and reply how that
     * ask ended within 20 s: Pong(1, the reply's text) or Pong(0, the failure: its class, the ask's reason, the
     * cause's text).
     */
    record AskBack(AgentRef<Sendable> to) implements Val {
    }

    /** Asks the child to do something bad. */
    record Misbehave(String how) implements Val {
    }

    /** Asks the child to corrupt its own channel {@code how} (a {@link Corruption}) once {@code trigger} exists. */
    record Corrupt(String how, String trigger) implements Val {
    }

    /** A handler (not a Behavior): replies to a Ping with a Pong counting the Pings it has handled. */
    public static final class CountingHandler implements MessageHandler<Sendable> {
        private long handled;

        @Override
        public void handle(AgentContext<Sendable> ctx, Message<Sendable> m) {
            if (m.payload() instanceof Ping p) {
                ctx.reply(m, new Pong(++handled, p.text() + " from pid " + ProcessHandle.current().pid()));
            }
        }
    }

    /** Takes every message and does nothing with it: a consumer as fast as the ring allows. */
    public static final class Sink implements Behavior<Sendable> {
        @Override
        public void run(DirectContext<Sendable> ctx) throws Exception {
            while (true) {
                ctx.receive();
            }
        }
    }

    /** Replies to Pings with Pongs, Isos with their reversed bytes, Tags with a Note to them, and so on. */
    public static final class Echo implements Behavior<Sendable> {
        @Override
        public void run(DirectContext<Sendable> ctx) throws Exception {
            while (true) {
                Message<Sendable> m = ctx.receive();
                switch (m.payload()) {
                    case Ping p -> ctx.reply(m, new Pong(p.n(), p.text()));
                    case Iso<?> iso when iso.get() instanceof ByteBuffer bb -> {
                        ByteBuffer out = ByteBuffer.allocate(bb.remaining());
                        for (int i = bb.limit() - 1; i >= bb.position(); i--) {
                            out.put(bb.get(i));
                        }
                        ctx.reply(m, Iso.of(out.flip()));
                    }
                    case Iso<?> iso -> ctx.reply(m, Iso.of(((byte[]) iso.get()).clone()));
                    case AgentRef<?> ref -> {
                        @SuppressWarnings("unchecked")
                        AgentRef<Note> to = (AgentRef<Note>) ref;
                        to.signal(new Note(42));
                    }
                    case Emit e -> {
                        for (int i = 0; i < e.count(); i++) {
                            e.to().signal(new Note(i));
                        }
                        ctx.reply(m, new Pong(e.count(), "done"));
                    }
                    case Loop l -> {
                        @SuppressWarnings("unchecked")
                        AgentRef<Sendable> self = (AgentRef<Sendable>) (AgentRef<?>) ctx.self();
                        long sum = 0;
                        List<Message<Sendable>> others = new ArrayList<>();
                        for (int i = 1; i <= l.count(); i++) {
                            self.signal(new Note(i));
                        }
                        int got = 0;
                        while (got < l.count()) {
                            Message<Sendable> n = ctx.receive();
                            if (n.payload() instanceof Note note) {
                                sum += note.n();
                                got++;
                            } else {
                                others.add(n);
                            }
                        }
                        ctx.reply(m, new Pong(sum, "loop"));
                    }
                    case AskBack a -> ctx.reply(m, askBack(ctx, a.to()));
                    case Misbehave b when b.how().startsWith("slow:") -> {
                        Thread.sleep(Long.parseLong(b.how().substring(5))); // simulated work
                        ctx.reply(m, new Pong(0, "slow done"));
                    }
                    case Misbehave b when b.how().startsWith("connect:") -> {
                        try (java.net.Socket s = new java.net.Socket()) {
                            s.connect(new java.net.InetSocketAddress("127.0.0.1",
                                    Integer.parseInt(b.how().substring(8))), 5_000);
                            ctx.reply(m, new Pong(1, "connected"));
                        }
                    }
                    case Misbehave b -> misbehave(b.how());
                    case Corrupt c -> corrupt(c);
                    default -> throw new IllegalArgumentException("unexpected " + m.payload());
                }
            }
        }

        /**
         * Hostile agent code: maps its own channel file (named on its command line, as any code in the child can find
         * it), waits for the trigger, writes the corruption into its ring to the parent, and goes on running (its
         * heartbeat too): only the parent's own checks can end it.
         */
        private static void corrupt(Corrupt c) throws Exception {
            Channel own = Channel.open(ownChannel());
            Path trigger = Path.of(c.trigger());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(trigger) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            Corruption.valueOf(c.how()).apply(own.toParent(), 19);
            Thread.sleep(Long.MAX_VALUE);
        }

        private static Path ownChannel() throws java.io.IOException {
            String cmdline = Files.readString(Path.of("/proc/self/cmdline"));
            for (String arg : cmdline.split("\0")) {
                if (arg.startsWith("--channel=")) {
                    return Path.of(arg.substring("--channel=".length()));
                }
            }
            throw new IllegalStateException("no --channel= in " + cmdline);
        }

        /**
         * The reply, or the bounce, comes through the ring to the child, which only this agent's {@code receive}
         * reads: so it receives (and sets aside what else comes) until the ask is done.
         */
        private static Pong askBack(DirectContext<Sendable> ctx, AgentRef<Sendable> to) throws InterruptedException {
            CompletableFuture<Pong> asked = to.ask(new Ping(1, "from the child"), Pong.class, Duration.ofMinutes(10));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!asked.isDone() && System.nanoTime() - deadline < 0) {
                Message<Sendable> other = ctx.receive(Duration.ofMillis(10));
                if (other != null) {
                    throw new IllegalStateException("nothing else was to come while the child asked: " + other);
                }
            }
            try {
                Pong p = asked.get(0, TimeUnit.SECONDS);
                return new Pong(1, p.text());
            } catch (ExecutionException e) {
                Throwable f = e.getCause();
                return new Pong(0, f.getClass().getName() + " " + (f instanceof AskFailedException a ? a.reason() : "")
                        + " " + (f.getCause() == null ? "" : f.getCause().getMessage()));
            } catch (TimeoutException e) {
                return new Pong(0, "no outcome within 20 s");
            }
        }

        private static void misbehave(String how) throws Exception {
            switch (how) {
                case "throw" -> throw new IllegalStateException("asked to fail");
                case "heap" -> {
                    List<long[]> hog = new ArrayList<>();
                    while (true) {
                        hog.add(new long[1 << 20]);
                    }
                }
                case "native" -> {
                    List<ByteBuffer> hog = new ArrayList<>();
                    while (true) {
                        hog.add(ByteBuffer.allocateDirect(64 << 20));
                    }
                }
                case "spin" -> {
                    long x = 0;
                    while (x != -1) {
                        x += System.nanoTime() & 1;
                    }
                }
                case "hang" -> Thread.sleep(Long.MAX_VALUE);
                case "thread-error" -> { // another thread of the child dies of an Error; this one goes on
                    Thread t = Thread.ofPlatform().name("doomed").start(() -> {
                        throw new LinkageError("simulated: a class that cannot load");
                    });
                    t.join();
                }
                case "files" -> {
                    List<java.io.FileInputStream> open = new ArrayList<>();
                    while (true) {
                        open.add(new java.io.FileInputStream("/proc/self/status"));
                    }
                }
                case "arena" -> {
                    java.lang.foreign.Arena arena = java.lang.foreign.Arena.global();
                    while (true) {
                        arena.allocate(64 << 20);
                    }
                }
                default -> throw new IllegalArgumentException(how);
            }
        }
    }
}
