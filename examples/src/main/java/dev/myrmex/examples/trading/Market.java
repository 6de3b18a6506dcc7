package dev.myrmex.examples.trading;

import dev.myrmex.core.Val;

/** The messages of the trading swarm. Prices are in ten-thousandths (a long, never a double). */
final class Market {
    private Market() {
    }

    /** What analyzers take: quotes, and the order to crash (chaos). */
    sealed interface ToAnalyzer extends Val permits Quote, Crash {
    }

    /** A price seen by a feed; {@code createdNanos} starts the latency clock. */
    record Quote(String symbol, long price, long createdNanos) implements ToAnalyzer {
    }

    /** Makes an analyzer throw: its supervisor restarts it with its mailbox. */
    record Crash(long id) implements ToAnalyzer {
    }

    /** An analyzer's trade idea. */
    record Order(String symbol, boolean buy, long quantity, long price, long createdNanos) implements Val {
        long notional() {
            return quantity * price / 10_000;
        }
    }

    /** What the risk checkers are asked about a large order. */
    record Check(Order order) implements Val {
    }

    /** A risk checker's answer. */
    record Verdict(boolean approved) implements Val {
    }

    /** What reaches the executor: an order and whether risk let it through. */
    record Decision(Order order, boolean approved, boolean askedQuorum) implements Val {
    }
}
