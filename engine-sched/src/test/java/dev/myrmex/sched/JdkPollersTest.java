package dev.myrmex.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myrmex.sched.internal.JdkVirtualThreads;
import dev.myrmex.testkit.Await;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The JDK's I/O poller threads must not end up on our carriers: an agent that is the first in the JVM to block on a
 * socket would otherwise create them, and they would inherit our scheduler. Checked in a fresh child JVM, where no
 * socket I/O has happened before the scheduler is built.
 */
class JdkPollersTest {

    /** Run in the child JVM: socket I/O from a carried thread, then count carried JDK pollers. */
    public static final class FirstSocketIoFromAnAgent {
        public static void main(String[] args) throws Exception {
            try (WorkStealingScheduler s = WorkStealingScheduler.builder().workers(2).build();
                 ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                AtomicInteger got = new AtomicInteger(-1);
                Thread agent = s.threadBuilder().start(() -> {
                    try (Socket c = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                        got.set(c.getInputStream().read()); // no data yet: parks on the JDK's poller
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                try (Socket accepted = server.accept()) {
                    while (agent.getState() != Thread.State.WAITING) { // parked in read, waiting for our byte
                        Thread.onSpinWait();
                    }
                    accepted.getOutputStream().write(42);
                    agent.join();
                }
                long carriedPollers = JdkVirtualThreads.liveVirtualThreads(e -> true).stream()
                        .filter(t -> t.getName().startsWith("SubPoller") && s.carries(t)).count();
                System.out.println("read=" + got.get() + " carriedPollers=" + carriedPollers);
            }
        }
    }

    @Test
    void anAgentsFirstSocketReadDoesNotPutTheJdkPollersOnOurCarriers() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FirstSocketIoFromAnAgent.class.getName()));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(Await.WATCHDOG.toSeconds(), TimeUnit.SECONDS);
        assertEquals("read=42 carriedPollers=0", out, err);
    }
}
