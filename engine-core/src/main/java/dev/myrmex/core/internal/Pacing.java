package dev.myrmex.core.internal;

import dev.myrmex.core.scheduling.AgentSchedule;
import dev.myrmex.sched.Lane;
import dev.myrmex.sched.LaneGroup;
import dev.myrmex.sched.RunHook;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's tie to its scheduling policy: the policy's {@link AgentSchedule} for it, and the lane of the policy's
 * {@link LaneGroup} that its runs go through (each submission ranked by the schedule, each run reported to it). An
 * agent under {@code SchedulingPolicy.DIRECT} has none.
 *
 * <p>Threads: {@link #rank} runs on whichever thread makes the agent runnable; the hook methods run on the carrier
 * around each run; the rest on the agent's runs. The schedule's contract says these never overlap for one agent.
 */
public final class Pacing implements RunHook {
    private static final Logger LOG = LoggerFactory.getLogger(Pacing.class);

    private final String agent;
    private final AgentSchedule schedule;
    private final Lane lane;
    private final TimeoutWheel timer;
    private boolean rankFailureLogged; // racy: at worst logged twice
    /** Runs begun: written by the hook, read by the agent's run (the lane group orders the two). */
    private int runs;

    public Pacing(String agent, AgentSchedule schedule, LaneGroup group, TimeoutWheel timer) {
        this.agent = agent;
        this.schedule = schedule;
        this.timer = timer;
        this.lane = group.newLane(agent, this, this::rank);
    }

    /** Runs plain tasks (a non-blocking handler's turns) through the policy's queue. */
    public Executor executor() {
        return lane.executor();
    }

    /** Builds the virtual threads (a direct-style agent's, a blocking-friendly handler's turns) of the policy. */
    public Thread.Builder.OfVirtual threadBuilder() {
        return lane.threadBuilder();
    }

    /** {@link AgentSchedule#admit()}: GO, YIELD or a wait in nanoseconds. Exceptions go to the agent. */
    long admit() {
        return schedule.admit();
    }

    /**
     * Ends the current run of a thread-backed agent as {@code decision} says: a yield back into the queue, or a park
     * of that many nanoseconds (cut short by an unpark: control requests unpark the agent). Returns true if a yield
     * did not end the run: the JDK declines one while the virtual thread is pinned (a native frame on its stack), and
     * asking the schedule again would only spin.
     */
    boolean pause(long decision) {
        if (decision >= 0) {
            LockSupport.parkNanos(decision);
            return false;
        }
        int before = runs;
        Thread.yield();
        return runs == before;
    }

    /** Runs {@code task} on the runtime's timer thread (keep it short) once {@code nanos} have passed. */
    void runAfter(long nanos, Runnable task) {
        timer.schedule(task, Duration.ofNanos(nanos));
    }

    private long rank() {
        try {
            return schedule.rank();
        } catch (Throwable t) {
            if (!rankFailureLogged) {
                rankFailureLogged = true;
                LOG.error("the scheduling policy's rank() for agent {} threw; its runs rank 0", agent, t);
            }
            return 0;
        }
    }

    @Override
    public void beforeRun() {
        runs++;
        schedule.runStarted();
    }

    @Override
    public void afterRun() {
        schedule.runEnded();
    }

    @Override
    public String toString() {
        return "Pacing[" + agent + ", " + schedule + "]";
    }
}
