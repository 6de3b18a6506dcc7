package dev.myrmex.ipc;

import dev.myrmex.core.Behavior;
import dev.myrmex.core.DirectContext;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.Val;
import dev.myrmex.ipc.Agents.Ping;
import dev.myrmex.ipc.Agents.Pong;
import dev.myrmex.ipc.internal.Addresses;
import dev.myrmex.ipc.internal.Channel;
import dev.myrmex.ipc.internal.Frames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * What hostile agent code tries from inside its child, and the messages that ask for each attempt. Every attempt
 * replies with an {@link Outcome} saying what happened; none throws, so the agent lives on for the next.
 */
final class Attacks {
    private Attacks() {
    }

    /** What an attempt did: whether it got through, and what the system said. */
    record Outcome(boolean succeeded, String detail) implements Val {
    }

    /** Send signal {@code signal} to process {@code pid} (a pid as the parent sees it), with kill(2). */
    record Kill(long pid, int signal) implements Val {
    }

    /** List directory {@code dir}. */
    record ListDirectory(String dir) implements Val {
    }

    /** Open another agent's channel file and write a Ping("injected") into the ring to its child. */
    record Inject(String channel) implements Val {
    }

    /** Start {@code sleep 600} and reply its pid, as the child sees it, in the detail. */
    record StartSleep() implements Val {
    }

    /** Have a shell start {@code count} background sleeps; the detail is its output and how many it started. */
    record StartSleeps(int count) implements Val {
    }

    /** Start platform threads that park, without end. */
    record StartThreads() implements Val {
    }

    /** Connect to {@code port} on the loopback address. */
    record Connect(int port) implements Val {
    }

    /** Run a program; the detail is its output. */
    record Run(List<String> argv) implements Val {
    }

    /** How many tasks (threads of all processes) the child's /proc shows; in the detail. */
    record CountTasks() implements Val {
    }

    /** The hostile code. */
    public static final class Attacker implements Behavior<Sendable> {
        private final POSIX posix = POSIXFactory.getNativePOSIX();

        @Override
        public void run(DirectContext<Sendable> ctx) throws Exception {
            while (true) {
                Message<Sendable> m = ctx.receive();
                ctx.reply(m, switch (m.payload()) {
                    case Kill k -> kill(k);
                    case ListDirectory l -> list(l.dir());
                    case Inject i -> inject(i.channel());
                    case StartSleep s -> startSleep();
                    case StartSleeps s -> startSleeps(s.count());
                    case StartThreads t -> startThreads();
                    case CountTasks c -> new Outcome(true, Long.toString(tasks()));
                    case Run r -> run(r.argv());
                    case Connect c -> connect(c.port());
                    default -> throw new IllegalArgumentException("unexpected " + m.payload());
                });
            }
        }

        private Outcome kill(Kill k) {
            int rc = posix.kill(k.pid(), k.signal());
            return new Outcome(rc == 0, rc == 0 ? "sent" : posix.strerror(posix.errno()));
        }

        private static Outcome list(String dir) {
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                return new Outcome(true, String.join(",", s.map(p -> p.getFileName().toString()).sorted().toList()));
            } catch (IOException e) {
                return new Outcome(false, e.toString());
            }
        }

        private static Outcome inject(String file) {
            Channel neighbour;
            try {
                neighbour = Channel.open(Path.of(file));
            } catch (IOException e) {
                return new Outcome(false, "open: " + e);
            }
            boolean written = Frames.writeMessage(neighbour.toChild(), new Ping(666, "injected"), Addresses.NONE,
                    Addresses.HOSTED, System.nanoTime(), new RecordCodec(), null);
            return new Outcome(written, written ? "written" : "no room");
        }

        private static Outcome startSleep() throws IOException {
            Process p = new ProcessBuilder("sleep", "600").start();
            return new Outcome(true, Long.toString(p.pid()));
        }

        private static Outcome startSleeps(int count) throws IOException, InterruptedException {
            // the sleeps must not hold the shell's output open, or reading it would wait for them
            Process sh = new ProcessBuilder("/bin/sh", "-c", "i=0; while [ $i -lt " + count + " ]; do"
                    + " sleep 600 </dev/null >/dev/null 2>&1 & i=$((i + 1)); echo $i; done")
                    .redirectErrorStream(true).start();
            String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            sh.waitFor();
            String[] lines = out.strip().split("\n");
            int started = 0;
            List<String> other = new ArrayList<>();
            for (String line : lines) {
                if (line.matches("[0-9]+")) {
                    started = Integer.parseInt(line);
                } else {
                    other.add(line);
                }
            }
            return new Outcome(started == count, started + " started; " + String.join(" | ", other));
        }

        private static Outcome run(List<String> argv) throws InterruptedException {
            try {
                Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                return new Outcome(p.waitFor() == 0, "exit " + p.exitValue() + ": " + out);
            } catch (IOException e) {
                return new Outcome(false, e.toString());
            }
        }

        private static Outcome connect(int port) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
                return new Outcome(true, "connected");
            } catch (IOException e) {
                return new Outcome(false, e.toString());
            }
        }

        private static Outcome startThreads() {
            while (true) {
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        // ends the thread
                    }
                });
            }
        }

        private static long tasks() throws IOException {
            long n = 0;
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                    try (Stream<Path> t = Files.list(p.resolve("task"))) {
                        n += t.count();
                    } catch (IOException gone) {
                        // exited meanwhile
                    }
                }
            }
            return n;
        }
    }

    /** A neighbour: replies to each Ping with a Pong whose text lists every Ping text it has taken so far. */
    public static final class Recorder implements Behavior<Sendable> {
        @Override
        public void run(DirectContext<Sendable> ctx) throws Exception {
            List<String> seen = new ArrayList<>();
            while (true) {
                Message<Sendable> m = ctx.receive();
                if (m.payload() instanceof Ping p) {
                    seen.add(p.text());
                    if (m.hasSender()) {
                        ctx.reply(m, new Pong(seen.size(), String.join(",", seen)));
                    }
                }
            }
        }
    }
}
