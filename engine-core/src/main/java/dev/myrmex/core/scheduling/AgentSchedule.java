package dev.myrmex.core.scheduling;

/**
 * A {@link SchedulingPolicy}'s state and decisions for one agent. The runtime calls it as the agent runs:
 * <ol>
 *   <li>{@link #rank()} each time the agent becomes runnable (mail arrived, it yielded, its wait ended), on whichever
 *       thread made it so: smaller ranks run first among the policy's queued runs, ties in arrival order;</li>
 *   <li>{@link #runStarted()} on the carrier, as a run begins;</li>
 *   <li>{@link #admit()} before each message the run would take: {@link #GO}, {@link #YIELD}, or a wait in
 *       nanoseconds;</li>
 *   <li>{@link #runEnded()} as the run ends (the agent parked, yielded, waited or ran out of mail).</li>
 * </ol>
 * Calls for one agent never overlap: each run, and each {@code rank()}, follows the end of the one before, with a
 * happens-before edge. Different agents' schedules are called concurrently. All four are on the hot path: keep them
 * short, allocation-free and non-blocking. A {@code rank()} that throws is logged and ranks the run 0; an
 * {@code admit()} that throws fails the agent's current incarnation with that exception.
 *
 * <p>Ranks are compared by their signed difference, so ranks built from a clock may wrap.
 */
public interface AgentSchedule {
    /** {@link #admit()}: take the next message in this run. */
    long GO = 0;
    /** {@link #admit()}: end the run here; the agent queues again at its {@link #rank()}. */
    long YIELD = -1;

    /** Where the agent's next run goes in the policy's queue: smaller first. */
    long rank();

    /** A run of the agent begins. */
    default void runStarted() {
    }

    /**
     * Whether the run may take one more message: {@link #GO}, {@link #YIELD}, or a positive number of nanoseconds to
     * wait before asking again (the run ends, and the agent is not runnable until then). The message waits at the
     * head of the mailbox meanwhile.
     */
    long admit();

    /** The run ended. */
    default void runEnded() {
    }
}
