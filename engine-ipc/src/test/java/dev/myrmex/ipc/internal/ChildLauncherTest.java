package dev.myrmex.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.core.Behavior;
import dev.myrmex.core.DirectContext;
import dev.myrmex.core.Sendable;
import dev.myrmex.ipc.OutOfProcess;
import dev.myrmex.testkit.Await;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildLauncherTest {
    @TempDir
    Path tmp;

    /** Takes messages and does nothing with them. */
    public static final class Idle implements Behavior<Sendable> {
        @Override
        public void run(DirectContext<Sendable> ctx) throws Exception {
            while (true) {
                ctx.receive();
            }
        }
    }

    /**
     * The sandbox's parent-death signal fires when the thread that forked it ends: a child started on behalf of a
     * thread that then ends (a carrier or pool thread retiring) must live on, which holds only because every child is
     * forked from one thread that lasts as long as the JVM.
     */
    @Test
    void aChildOutlivesTheThreadThatStartedIt() throws Exception {
        OutOfProcess spec = OutOfProcess.builder().directory(tmp).build();
        Channel channel = Channel.create(tmp.resolve("orphan.chan"), 1 << 16);
        AtomicReference<ChildProcess> child = new AtomicReference<>();
        AtomicReference<Exception> failed = new AtomicReference<>();
        Thread asker = Thread.ofPlatform().start(() -> {
            try {
                child.set(ChildLauncher.start(spec, channel.file(), "orphan", BehaviorSpec.of(Idle.class), 1000,
                        tmp.resolve("orphan.log")));
            } catch (Exception e) {
                failed.set(e);
            }
        });
        asker.join(); // the thread that asked for the child has ended
        if (failed.get() != null) {
            throw failed.get();
        }
        ChildProcess p = child.get();
        try {
            Await.until(() -> channel.counter(Counter.CHILD_HEARTBEAT).get() >= 3 || !p.isAlive(),
                    "the child to beat three times, after the thread that started it ended");
            assertTrue(p.isAlive(), "the child lives on: " + ChildVerdict.tail(new ChildVerdict.Output(tmp.resolve(
                    "orphan.log"), 0)));
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }
}
