package dev.myrmex.core.coord;

import dev.myrmex.core.AgentRef;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.internal.TimeoutWheel;
import dev.myrmex.core.spi.Endpoint;
import dev.myrmex.core.spi.Pace;
import dev.myrmex.core.time.RuntimeClock;
import dev.myrmex.sched.SpinLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * One round of a {@link Quorum}: tallies answers until a value reaches the threshold, none can, or time is up.
 *
 * <p>Concurrency: answers come from any thread (each member's {@link #ballot} address), failures from the asking
 * thread, the timeout from the timeout wheel's thread. No outcome but the timeout is reached before the asking thread
 * has sent to every member ({@link #sent}), so the result names every member that could not be asked. All of them
 * update the tally under this round's {@link SpinLock}, in short sections that never block; the first to end the round
 * builds the result inside and completes the future after leaving, so callbacks never run under the lock. Whatever
 * comes after the end is counted as late.
 */
final class QuorumRound<R extends Sendable> {
    private static final byte PENDING = 0;
    private static final byte VOTED = 1;
    private static final byte FAILED = 2;

    private final List<? extends AgentRef<?>> members;
    private final int required;
    private final RuntimeClock clock;
    private final long started;
    private final LongAdder late;
    private final CompletableFuture<QuorumResult<R>> future = new CompletableFuture<>();
    private final SpinLock lock = new SpinLock(); // answers come on carriers: never a parking lock (see SpinLock)
    private final byte[] state; // guarded by lock, as are the fields below
    private final Map<R, List<AgentRef<?>>> votes = new LinkedHashMap<>();
    private int settled; // members that voted or failed
    private int leading; // the most votes any value has
    private boolean over;
    private boolean sending = true; // until every member was asked: no outcome yet, so every failure is counted
    private R first; // the first value to reach the threshold while sending
    private volatile TimeoutWheel.Timeout timer;

    QuorumRound(List<? extends AgentRef<?>> members, int required, RuntimeClock clock, LongAdder late) {
        this.members = members;
        this.required = required;
        this.clock = clock;
        this.started = clock.nanoTime();
        this.late = late;
        this.state = new byte[members.size()];
    }

    CompletableFuture<QuorumResult<R>> future() {
        return future;
    }

    void timer(TimeoutWheel.Timeout t) {
        this.timer = t;
        if (future.isDone()) {
            t.cancel();
        }
    }

    /** The reply address of member {@code i}: its first answer is its vote. */
    Endpoint<R> ballot(int i) {
        return (Message<R> message, Pace pace) -> {
            vote(i, message.payload());
            return true;
        };
    }

    void vote(int member, R value) {
        QuorumResult<R> result;
        lock.lock();
        try {
            if (over || state[member] != PENDING) {
                late.increment();
                return;
            }
            state[member] = VOTED;
            settled++;
            List<AgentRef<?>> who = votes.computeIfAbsent(value, v -> new ArrayList<>(required));
            who.add(members.get(member));
            leading = Math.max(leading, who.size());
            if (who.size() >= required && first == null) {
                first = value;
            }
            result = outcome();
        } finally {
            lock.unlock();
        }
        if (result != null) {
            publish(result);
        }
    }

    /** Every member has been asked (or found failed): from now on the round may end. */
    void sent() {
        QuorumResult<R> result;
        lock.lock();
        try {
            sending = false;
            result = outcome();
        } finally {
            lock.unlock();
        }
        if (result != null) {
            publish(result);
        }
    }

    /** The end of the round if it has come, else null. */
    private QuorumResult<R> outcome() {
        if (sending || over) {
            return null;
        }
        if (first != null) {
            return end(QuorumResult.Outcome.DECIDED, first);
        }
        return hopeless() ? end(QuorumResult.Outcome.NO_QUORUM, null) : null;
    }

    void failed(int member) {
        QuorumResult<R> result;
        lock.lock();
        try {
            if (over || state[member] != PENDING) {
                return;
            }
            state[member] = FAILED;
            settled++;
            result = outcome();
        } finally {
            lock.unlock();
        }
        if (result != null) {
            publish(result);
        }
    }

    void timeout() {
        QuorumResult<R> result;
        lock.lock();
        try {
            if (over) {
                return;
            }
            result = end(QuorumResult.Outcome.TIMED_OUT, null);
        } finally {
            lock.unlock();
        }
        publish(result);
    }

    /** No value can reach the threshold even if every member still to answer agrees with the leader. */
    private boolean hopeless() {
        return leading + (members.size() - settled) < required;
    }

    private QuorumResult<R> end(QuorumResult.Outcome outcome, R decision) {
        over = true;
        List<AgentRef<?>> failed = new ArrayList<>();
        List<AgentRef<?>> waiting = new ArrayList<>();
        for (int i = 0; i < state.length; i++) {
            if (state[i] == FAILED) {
                failed.add(members.get(i));
            } else if (state[i] == PENDING) {
                waiting.add(members.get(i));
            }
        }
        boolean timedOut = outcome == QuorumResult.Outcome.TIMED_OUT;
        return new QuorumResult<>(outcome, decision, required, votes, failed, timedOut ? waiting : List.of(),
                timedOut ? List.of() : waiting, Duration.ofNanos(clock.nanoTime() - started));
    }

    private void publish(QuorumResult<R> result) {
        TimeoutWheel.Timeout t = timer;
        if (t != null) {
            t.cancel();
        }
        future.complete(result);
    }
}
