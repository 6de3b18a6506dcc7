package dev.myrmex.core.testing;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The runtimes a test uses, stopped after it: the one way tests end the runtimes they hold in fields. After each
 * test every runtime it tracked is stopped at once ({@link AgentRuntime#stopNow}) within {@link Await#WATCHDOG}; one
 * that does not stop in time fails the test, named, instead of leaking its carriers into the next test.
 *
 * <pre>{@code
 * @RegisterExtension
 * final RuntimeExtension runtimes = new RuntimeExtension();
 * private final AgentRuntime rt = runtimes.track(AgentRuntime.builder().workers(2).build());
 * }</pre>
 *
 * A field initializer runs once per test (JUnit makes an instance of the class for each), so each test tracks its
 * own runtime. Tracking is safe from any thread; stopping happens on JUnit's thread after the test.
 */
public final class RuntimeExtension implements AfterEachCallback {
    private final List<AgentRuntime> tracked = new CopyOnWriteArrayList<>();
    private final Duration stopWithin;

    /** Stops each runtime within {@link Await#WATCHDOG}. */
    public RuntimeExtension() {
        this(Await.WATCHDOG);
    }

    /** Stops each runtime within {@code stopWithin}: for the extension's own test. */
    RuntimeExtension(Duration stopWithin) {
        this.stopWithin = stopWithin;
    }

    /** Tracks {@code rt}, to be stopped after the test; returns it. */
    public AgentRuntime track(AgentRuntime rt) {
        tracked.add(rt);
        return rt;
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        stopAll(context.getDisplayName());
    }

    /** Stops every tracked runtime, and forgets them; fails naming those that did not stop in time. */
    void stopAll(String after) throws InterruptedException {
        List<String> stuck = new ArrayList<>();
        for (AgentRuntime rt : tracked) {
            if (!rt.stopNow(stopWithin)) {
                stuck.add(rt + " (" + rt.agentCount() + " agents)");
            }
        }
        tracked.clear();
        if (!stuck.isEmpty()) {
            throw new AssertionError("watchdog: " + stuck.size() + " runtime(s) did not stop within " + stopWithin
                    + " after " + after + ": " + stuck);
        }
    }
}
