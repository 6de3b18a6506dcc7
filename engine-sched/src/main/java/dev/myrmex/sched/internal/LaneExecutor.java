package dev.myrmex.sched.internal;

import dev.myrmex.sched.Lane;
import dev.myrmex.sched.RunHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor behind a {@link Lane}. The JDK submits each virtual thread's own {@code runContinuation} runnable (the
 * same object for the life of the thread); the lane binds it to its hook once and re-submits that binding.
 *
 * <h2>Contract</h2>
 * {@link #execute} is called from any thread. {@link #last} is a cache of the last binding: racy by design. A stale
 * read only costs one allocation, since every {@link Binding} is immutable and complete on its own.
 */
public final class LaneExecutor implements Lane, java.util.concurrent.Executor, PoolLane {
    private static final Logger LOG = LoggerFactory.getLogger(LaneExecutor.class);

    private final CarrierPool pool;
    private final String name;
    private final RunHook hook;
    private volatile boolean lifoEligible = true;
    private Binding last; // benign race, see above

    public LaneExecutor(CarrierPool pool, String name, RunHook hook) {
        this.pool = pool;
        this.name = name;
        this.hook = hook;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Thread.Builder.OfVirtual threadBuilder() {
        return JdkVirtualThreads.newBuilder(this);
    }

    @Override
    public java.util.concurrent.Executor executor() {
        return this;
    }

    @Override
    public boolean carriedBy(CarrierPool p) {
        return pool == p;
    }

    @Override
    public boolean lifoEligible() {
        return lifoEligible;
    }

    @Override
    public void lifoEligible(boolean eligible) {
        this.lifoEligible = eligible;
    }

    @Override
    public void execute(Runnable continuation) {
        Binding b = last;
        if (b == null || b.continuation != continuation) {
            last = b = new Binding(continuation, this);
        }
        pool.submit(b, lifoEligible);
    }

    @Override
    public String toString() {
        return "Lane[" + name + "]";
    }

    private record Binding(Runnable continuation, LaneExecutor lane) implements Runnable {
        @Override
        public void run() {
            RunHook h = lane.hook;
            try {
                h.beforeRun();
            } catch (Throwable t) {
                LOG.error("RunHook.beforeRun of {} threw; the continuation runs anyway", lane, t);
            }
            try {
                continuation.run();
            } finally {
                try {
                    h.afterRun();
                } catch (Throwable t) {
                    LOG.error("RunHook.afterRun of {} threw", lane, t);
                }
            }
        }
    }
}
