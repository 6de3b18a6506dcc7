package dev.myrmex.core.coord;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.Sendable;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one quorum round came to: the decided value if one reached the threshold, every answer tallied by value
 * (conflicting, byzantine answers included), the members that could not be asked, those that had not answered by the
 * timeout, those still to answer when the decision was reached, and the time taken.
 *
 * @param outcome   decided, impossible (every member answered or failed and no value can reach the threshold any
 *                  more), or timed out
 * @param decision  the decided value; null unless {@code outcome} is {@link Outcome#DECIDED}
 * @param required  the equal answers needed
 * @param votes     for each value answered, the members that answered it, in the order answers came
 * @param failed    members the request could not reach (stopped, or their mailbox refused it)
 * @param timedOut  members that had not answered when the timeout struck (empty unless {@code TIMED_OUT})
 * @param pending   members that had not answered yet when the value was decided (their answers come too late)
 * @param elapsed   from the request to the outcome, on the runtime's clock
 * @param <R>       the answer type
 */
public record QuorumResult<R extends Sendable>(Outcome outcome, R decision, int required,
        Map<R, List<AgentRef<?>>> votes, List<AgentRef<?>> failed, List<AgentRef<?>> timedOut,
        List<AgentRef<?>> pending, Duration elapsed) {
    /** How a round ended. */
    public enum Outcome {
        /** A value reached the threshold. */
        DECIDED,
        /** No value can reach the threshold: too many members failed or disagreed. */
        NO_QUORUM,
        /** The timeout struck before a value reached the threshold. */
        TIMED_OUT
    }

    public QuorumResult {
        Map<R, List<AgentRef<?>>> copy = new LinkedHashMap<>();
        votes.forEach((v, who) -> copy.put(v, List.copyOf(who)));
        votes = Collections.unmodifiableMap(copy);
        failed = List.copyOf(failed);
        timedOut = List.copyOf(timedOut);
        pending = List.copyOf(pending);
    }

    /** True if a value reached the threshold. */
    public boolean decided() {
        return outcome == Outcome.DECIDED;
    }

    /** The decided value, if any. */
    public Optional<R> decisionIfAny() {
        return Optional.ofNullable(decision);
    }

    /** Answers per value. */
    public Map<R, Integer> tally() {
        Map<R, Integer> t = new LinkedHashMap<>();
        votes.forEach((v, who) -> t.put(v, who.size()));
        return t;
    }

    /** True if members answered with more than one value. */
    public boolean conflicting() {
        return votes.size() > 1;
    }

    /** The members that answered something other than the decision (all who answered, if nothing was decided). */
    public List<AgentRef<?>> dissenters() {
        return votes.entrySet().stream()
                .filter(e -> decision == null || !e.getKey().equals(decision))
                .flatMap(e -> e.getValue().stream())
                .toList();
    }

    @Override
    public String toString() {
        return "QuorumResult[" + outcome + (decision != null ? " " + decision : "") + ", needed " + required
                + ", tally " + tally() + ", failed " + failed.size() + ", timed out " + timedOut.size()
                + ", pending " + pending.size() + ", " + elapsed.toNanos() / 1_000 + " us]";
    }
}
