package dev.myrmex.core.coord;

/**
 * How many of a quorum's members must answer with the same value for it to be decided.
 *
 * <pre>{@code
 * QuorumThreshold.majority();    // more than half: 3 of 5, 6 of 10
 * QuorumThreshold.twoThirds();   // at least two thirds: 4 of 5, 7 of 10 (tolerates f byzantine of 3f + 1)
 * QuorumThreshold.count(4);      // exactly this many
 * }</pre>
 *
 * A count at or below half of the members lets two values both reach it; the first to get there is decided.
 */
public sealed interface QuorumThreshold {
    /** The number of equal answers needed out of {@code members}. */
    int required(int members);

    /** More than half of the members. */
    static QuorumThreshold majority() {
        return Majority.INSTANCE;
    }

    /** At least two thirds of the members (rounded up). */
    static QuorumThreshold twoThirds() {
        return TwoThirds.INSTANCE;
    }

    /**
     * Exactly {@code count} equal answers.
     *
     * @throws IllegalArgumentException if {@code count} is below 1
     */
    static QuorumThreshold count(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("threshold must be at least 1: " + count);
        }
        return new Count(count);
    }

    /** More than half. */
    enum Majority implements QuorumThreshold {
        INSTANCE;

        @Override
        public int required(int members) {
            return members / 2 + 1;
        }

        @Override
        public String toString() {
            return "majority";
        }
    }

    /** At least two thirds. */
    enum TwoThirds implements QuorumThreshold {
        INSTANCE;

        @Override
        public int required(int members) {
            return (2 * members + 2) / 3;
        }

        @Override
        public String toString() {
            return "two-thirds";
        }
    }

    /** A fixed count. */
    record Count(int count) implements QuorumThreshold {
        public Count {
            if (count < 1) {
                throw new IllegalArgumentException("threshold must be at least 1: " + count);
            }
        }

        @Override
        public int required(int members) {
            return count;
        }

        @Override
        public String toString() {
            return Integer.toString(count);
        }
    }
}
