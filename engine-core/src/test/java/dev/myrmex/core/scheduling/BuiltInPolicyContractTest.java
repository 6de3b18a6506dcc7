package dev.myrmex.core.scheduling;

import dev.myrmex.core.testing.SchedulingPolicyContract;
import java.time.Duration;
import org.junit.jupiter.api.Nested;

/**
 * The scheduling policy contract for every built-in policy, each set so that its own mechanism works during the run:
 * small budgets and slices (runs yield often), a quantum of one, a rate limit the traffic reaches.
 */
class BuiltInPolicyContractTest {
    @Nested
    class Direct extends SchedulingPolicyContract {
        @Override
        protected SchedulingPolicy policy() {
            return SchedulingPolicy.DIRECT;
        }
    }

    @Nested
    class FairShare extends SchedulingPolicyContract {
        @Override
        protected SchedulingPolicy policy() {
            return SchedulingPolicy.fairShare(4, Duration.ofNanos(20_000));
        }
    }

    @Nested
    class ByPriority extends SchedulingPolicyContract {
        @Override
        protected SchedulingPolicy policy() {
            return SchedulingPolicy.priority(Duration.ofMillis(1), 4, Duration.ofNanos(20_000));
        }
    }

    @Nested
    class RoundRobin extends SchedulingPolicyContract {
        @Override
        protected SchedulingPolicy policy() {
            return SchedulingPolicy.roundRobin(1);
        }
    }

    @Nested
    class RateBased extends SchedulingPolicyContract {
        @Override
        protected SchedulingPolicy policy() {
            return SchedulingPolicy.rateBased(20_000, 50); // 1,200 messages an agent: some 60 ms of waiting each
        }
    }
}
