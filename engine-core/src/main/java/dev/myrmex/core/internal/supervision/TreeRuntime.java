package dev.myrmex.core.internal.supervision;

import dev.myrmex.core.internal.RuntimeCounters;
import dev.myrmex.core.internal.Supervised;
import dev.myrmex.core.internal.SupervisionParent;
import dev.myrmex.core.supervision.SupervisorSpec;
import dev.myrmex.core.time.RuntimeClock;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * What a supervision tree needs of the runtime it runs in, and nothing more: the runtime implements it for its trees,
 * so that {@link SupervisorNode} never sees the runtime's public face. Every method may be called from any thread,
 * under the tree's lock included; none of them waits.
 */
public interface TreeRuntime {
    /** Spawns (or spawns again) one agent child, reporting to {@code parent}. */
    Supervised spawnChild(SupervisorSpec.AgentChild child, SupervisionParent parent);

    /** Whether the runtime is running: once it is not, no child restarts. */
    boolean isRunning();

    /** The runtime's clock, which restart windows are counted on. */
    RuntimeClock clock();

    /** The stream of the runtime's one seed that draws restart backoff jitter. */
    RandomGenerator restartJitter();

    /** Runs {@code task} on the runtime's timing wheel once {@code delay} has passed (a restart's backoff). */
    void scheduleAfter(Runnable task, Duration delay);

    /** The runtime's counters (a root tree's escalation is counted there). */
    RuntimeCounters counters();

    /** Makes the virtual threads that a tree's lock hands work to when a carrier would otherwise wait for it. */
    Thread.Builder.OfVirtual threadBuilder();
}
