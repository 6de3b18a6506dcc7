package dev.myrmex.core.scheduling;

import dev.myrmex.core.time.RuntimeClock;
import java.time.Duration;
import java.util.Objects;

/**
 * How the runs of agents are ordered and paced. An agent under a policy runs in <em>runs</em> (a handler's turn, or a
 * direct-style agent's stretch between two parks); the policy's {@link AgentSchedule} for the agent ranks each run
 * against the other runs under the same policy instance, and admits messages within a run one by one: take it, or
 * yield (the run ends, and the agent queues again at its rank), or wait (not runnable for a while: a rate limit).
 * Virtual threads are not pre-empted, so budgets are cooperative: enforced between messages, never inside one.
 *
 * <pre>{@code
 * SchedulingPolicy byPriority = SchedulingPolicy.priority();          // share this instance between agents
 * AgentRuntime rt = AgentRuntime.builder().schedulingPolicy(byPriority).build();
 * rt.start();
 * rt.spawn("alarm", alarmHandler, SpawnOptions.DEFAULTS.withPriority(Priority.CRITICAL));
 * rt.spawn("report", reportHandler, SpawnOptions.DEFAULTS.withPriority(Priority.LOW));
 * rt.spawn("metered", handler, SpawnOptions.DEFAULTS
 *         .withScheduling(SchedulingPolicy.rateBased(1_000, 10)));   // at most 1,000 messages a second
 * }</pre>
 *
 * <p>Agents spawned with the same policy <em>instance</em> share one run queue and are ordered against each other;
 * agents under different instances (and agents under {@link #DIRECT}) are not ordered against each other, they share
 * the carriers as equals. The built-in policies:
 * <ul>
 *   <li>{@link #DIRECT} (the default): no policy layer. Runs go straight to the carriers (the LIFO hand-off, work
 *       stealing), handler turns take up to 64 messages. The fastest; nothing is ordered.</li>
 *   <li>{@link #fairShare}: each run gets a message budget and a time slice, then yields; the agent that has used the
 *       least processing time runs next, so a cheap agent is not starved by an expensive one.</li>
 *   <li>{@link #priority}: {@link Priority} from the spawn options; higher priority runs first, and a waiting run
 *       gains one level per aging step, so LOW still runs when HIGH floods.</li>
 *   <li>{@link #roundRobin}: ready agents take a fixed quantum of messages each, in strict rotation.</li>
 *   <li>{@link #rateBased}: a token bucket per agent; an agent beyond its rate waits for tokens.</li>
 *   <li>CUSTOM: implement this interface (and {@link AgentSchedule}).</li>
 * </ul>
 *
 * <p>Implementations must be thread-safe: {@link #schedule} is called by spawns on any thread.
 */
public interface SchedulingPolicy {
    /**
     * No policy: runs go straight to the carriers. The runtime never calls its {@link #schedule}, which throws
     * {@link UnsupportedOperationException}.
     */
    SchedulingPolicy DIRECT = DirectPolicy.INSTANCE;

    /** The message budget of a run under fair share and priority unless given: as many as a direct handler turn. */
    int DEFAULT_BUDGET = 64;
    /** The time slice of a run under fair share and priority unless given. */
    Duration DEFAULT_SLICE = Duration.ofNanos(100_000);
    /** The aging step of {@link #priority()}: a waiting run gains one priority level per step. */
    Duration DEFAULT_AGING_STEP = Duration.ofMillis(10);

    /** A short name for logs and metrics: FAIR_SHARE, PRIORITY, ROUND_ROBIN, RATE_BASED, DIRECT or a custom one. */
    String name();

    /**
     * The policy's state and decisions for one agent, made once at its spawn (it lives through the agent's
     * restarts). {@code clock} is the runtime's: read time from it, so that tests can drive the policy.
     */
    AgentSchedule schedule(ScheduledAgent agent, RuntimeClock clock);

    /** Fair share with {@link #DEFAULT_BUDGET} messages and a {@link #DEFAULT_SLICE} time slice per run. */
    static SchedulingPolicy fairShare() {
        return fairShare(DEFAULT_BUDGET, DEFAULT_SLICE);
    }

    /**
     * Fair share: a run ends after {@code messageBudget} messages or once {@code timeSlice} has passed (checked
     * between messages; the first message of a run is always taken), and the agent that has used the least
     * processing time so far runs next (a virtual-runtime order, as Linux's CFS does; an agent that was idle comes
     * back level with the busiest recent runs, not ahead of them by its idle time).
     *
     * @throws IllegalArgumentException if the budget is below 1 or the slice is not positive
     */
    static SchedulingPolicy fairShare(int messageBudget, Duration timeSlice) {
        return new FairSharePolicy(checkBudget(messageBudget), checkPositive("timeSlice", timeSlice));
    }

    /** Priority with {@link #DEFAULT_AGING_STEP}, {@link #DEFAULT_BUDGET} and {@link #DEFAULT_SLICE}. */
    static SchedulingPolicy priority() {
        return priority(DEFAULT_AGING_STEP, DEFAULT_BUDGET, DEFAULT_SLICE);
    }

    /**
     * Priority with aging: a run queued now at priority {@code p} goes ahead of every run of a higher level queued
     * less than {@code (level difference) x agingStep} ago, and behind those queued earlier. So CRITICAL runs first
     * while the queue is shorter than an aging step, and a LOW run waits at most three aging steps (plus the runs
     * already due) however much higher-priority work arrives. Runs end after {@code messageBudget} messages or
     * {@code timeSlice}, so a low-priority agent's long run does not hold a carrier a critical one needs.
     *
     * @throws IllegalArgumentException if the aging step or the slice is not positive, or the budget is below 1
     */
    static SchedulingPolicy priority(Duration agingStep, int messageBudget, Duration timeSlice) {
        return new PriorityPolicy(checkPositive("agingStep", agingStep), checkBudget(messageBudget),
                checkPositive("timeSlice", timeSlice));
    }

    /** Round robin with a quantum of one message: ready agents take one message each, in turn. */
    static SchedulingPolicy roundRobin() {
        return roundRobin(1);
    }

    /**
     * Round robin: each ready agent takes up to {@code quantum} messages, then goes to the back of the queue, whatever
     * its messages cost. Small quanta mean strict alternation and more scheduling per message.
     *
     * @throws IllegalArgumentException if the quantum is below 1
     */
    static SchedulingPolicy roundRobin(int quantum) {
        if (quantum < 1) {
            throw new IllegalArgumentException("quantum must be at least 1: " + quantum);
        }
        return new RoundRobinPolicy(quantum);
    }

    /**
     * Rate limits: each agent under this policy takes at most {@code messagesPerSecond} on average, with bursts of up
     * to {@code burst} messages after a quiet spell (a token bucket per agent, computed exactly as the generic cell
     * rate algorithm does). An agent out of tokens is not runnable until its next token is due; its mail waits in its
     * mailbox (where backpressure applies as usual). Runs also end after {@link #DEFAULT_BUDGET} messages.
     *
     * @throws IllegalArgumentException if the rate is not positive and finite or above 10<sup>9</sup>, or the burst is
     *                                  below 1
     */
    static SchedulingPolicy rateBased(double messagesPerSecond, int burst) {
        if (!(messagesPerSecond > 0) || Double.isInfinite(messagesPerSecond) || messagesPerSecond > 1e9) {
            throw new IllegalArgumentException("messagesPerSecond must be positive, finite and at most 1e9: "
                    + messagesPerSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1: " + burst);
        }
        return new RateBasedPolicy(messagesPerSecond, burst);
    }

    private static int checkBudget(int messageBudget) {
        if (messageBudget < 1) {
            throw new IllegalArgumentException("messageBudget must be at least 1: " + messageBudget);
        }
        return messageBudget;
    }

    private static long checkPositive(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
        return d.toNanos();
    }
}
