package dev.myrmex.core.coord;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Iso;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.internal.CoreAccess;
import dev.myrmex.core.mailbox.MailboxFullException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * Asks every member agent the same question and decides on the answer that enough of them give: a majority, a
 * two-thirds supermajority, or a fixed count ({@link QuorumThreshold}), within a timeout.
 *
 * <pre>{@code
 * Quorum<CheckOrder, Verdict> risk = Quorum.of(rt, checkers, QuorumThreshold.majority(), Duration.ofMillis(50));
 * QuorumResult<Verdict> r = risk.ask(new CheckOrder("ACME", 5_000)).join();
 * if (r.decided() && r.decision().approved()) { ... }
 * System.out.println(r.tally() + " failed " + r.failed() + " in " + r.elapsed());
 * }</pre>
 *
 * Members answer with {@link dev.myrmex.core.AgentContext#reply}, as they would an {@code ask}. Each member gets
 * its own reply address, so a member's first answer is its vote and any further one is ignored (counted in
 * {@link #lateAnswers}), and a byzantine member cannot vote twice. The round ends as soon as a value reaches the
 * threshold ({@link QuorumResult.Outcome#DECIDED}; answers still to come are late), as soon as no value can reach
 * it any more ({@code NO_QUORUM}), or at the timeout ({@code TIMED_OUT}). A member that is stopped, or whose mailbox
 * refuses the request, counts as failed at once. The timeout runs on the runtime's timeout wheel, on the runtime's
 * clock as for {@code ask}; so is {@link QuorumResult#elapsed}.
 *
 * <p>Thread-safe; one {@code Quorum} may run many rounds at once. The future completes on the thread of the answer
 * (or timeout) that ended the round: keep what you chain on it short, or chain it {@code ...Async}.
 *
 * @param <Q> the request
 * @param <R> the answer
 */
public final class Quorum<Q extends Sendable, R extends Sendable> {
    private final AgentRuntime runtime;
    private final List<AgentRef<Q>> members;
    private final QuorumThreshold threshold;
    private final int required;
    private final Duration timeout;
    private final LongAdder lateAnswers = new LongAdder();

    private Quorum(AgentRuntime runtime, List<AgentRef<Q>> members, QuorumThreshold threshold, Duration timeout) {
        this.runtime = runtime;
        this.members = members;
        this.threshold = threshold;
        this.required = threshold.required(members.size());
        this.timeout = timeout;
    }

    /**
     * A quorum of {@code members}.
     *
     * @throws IllegalArgumentException if {@code members} is empty or names an agent twice, the threshold needs more
     *                                  answers than there are members, or {@code timeout} is not positive
     */
    public static <Q extends Sendable, R extends Sendable> Quorum<Q, R> of(AgentRuntime runtime,
            List<AgentRef<Q>> members, QuorumThreshold threshold, Duration timeout) {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(timeout, "timeout");
        List<AgentRef<Q>> checked = Members.checked(members, "a quorum");
        int needed = threshold.required(checked.size());
        if (needed > checked.size()) {
            throw new IllegalArgumentException("threshold " + threshold + " needs " + needed
                    + " answers, above the member count " + checked.size());
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return new Quorum<>(runtime, checked, threshold, timeout);
    }

    /**
     * Sends {@code request} to every member and returns the round's result. The future never fails for lack of
     * agreement: the result says how the round ended.
     *
     * @throws IllegalArgumentException if {@code request} is an {@link Iso} (it would have to move to every member)
     * @throws IllegalStateException    if the runtime is not running
     */
    public CompletableFuture<QuorumResult<R>> ask(Q request) {
        Objects.requireNonNull(request, "request");
        if (request instanceof Iso<?>) {
            throw new IllegalArgumentException("request is an Iso: a quorum sends its request to every member, and "
                    + "an Iso moves to one owner; send a Val");
        }
        CoreAccess.Bridge bridge = CoreAccess.get();
        QuorumRound<R> round = new QuorumRound<>(members, required, runtime.clock(), lateAnswers);
        round.timer(bridge.schedule(runtime, round::timeout, timeout));
        for (int i = 0; i < members.size(); i++) {
            AgentRef<Q> member = members.get(i);
            AgentRef<R> replyTo = bridge.replyAddress(runtime, "quorum-" + member.name(), round.ballot(i));
            boolean delivered;
            try {
                delivered = bridge.send(member, request, replyTo);
            } catch (MailboxFullException e) {
                delivered = false;
            }
            if (!delivered) {
                round.failed(i);
            }
        }
        round.sent();
        return round.future();
    }

    public List<AgentRef<Q>> members() {
        return members;
    }

    public QuorumThreshold threshold() {
        return threshold;
    }

    /** Equal answers needed to decide. */
    public int required() {
        return required;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Answers that came after their round had ended, or a member's second answer, over all rounds. */
    public long lateAnswers() {
        return lateAnswers.sum();
    }

    @Override
    public String toString() {
        return "Quorum[" + members.size() + " members, " + threshold + " = " + required + ", timeout " + timeout + "]";
    }
}
