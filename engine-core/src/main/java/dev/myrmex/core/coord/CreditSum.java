package dev.myrmex.core.coord;

import java.util.Arrays;

/**
 * The credit a {@link Gossip} broadcaster has got back, summed exactly: how it learns, by messages alone, that a
 * rumour has died out (credit recovery, after Mattern, "Global quiescence detection based on credit distribution and
 * recovery", Inf. Process. Lett. 30, 1989).
 *
 * <h2>The protocol</h2>
 * <ol>
 *   <li>The broadcaster owns credit 1. Every rumour carries a share of the credit of whoever sent it; shares are
 *       powers of two, {@code 2^-e}, so a rumour carries just the exponent {@code e}.</li>
 *   <li>Whoever handles a rumour with share {@code 2^-e} and sends {@code k} rumours on splits it into {@code 2^d}
 *       parts of {@code 2^-(e+d)}, with {@code 2^d >= k + 1}: one part per rumour sent, the other
 *       {@code 2^d - k >= 1} (plus the parts of rumours that could not be sent) back to the broadcaster in its
 *       receipt. Every receipt so returns at least one part.</li>
 *   <li>Credit is neither made nor lost, so the returned credit sums to exactly 1 when, and only when, every rumour
 *       has been handled and every receipt has arrived: no rumour of the broadcast is left anywhere, in any order of
 *       delivery. (Counting rumours sent against rumours handled is not enough: a receipt may overtake the receipt
 *       of the rumour that caused it, and the count would reach zero early.)</li>
 * </ol>
 *
 * <p>The sum is a binary fraction, bit {@code i} worth {@code 2^-i}: adding a part sets a bit and carries toward bit
 * 0 (which is 1 whole); amortised O(1). Returning more than was given out, which the protocol cannot do, is an
 * {@link IllegalStateException}.
 *
 * <p>Not thread-safe: its owner (a {@link GossipRound}) guards it.
 */
final class CreditSum {
    private long[] bits = new long[2]; // bit i worth 2^-i
    private int setBits;

    /**
     * Adds {@code units} parts of {@code 2^-exponent}.
     *
     * @throws IllegalArgumentException if {@code exponent} or {@code units} is negative
     * @throws IllegalStateException    if the sum would exceed 1
     */
    void add(int exponent, long units) {
        if (exponent < 0 || units < 0) {
            throw new IllegalArgumentException("credit must be units >= 0 of 2^-exponent, exponent >= 0: " + units
                    + " of 2^-" + exponent);
        }
        for (long u = units; u != 0; u &= u - 1) {
            addBit(exponent - Long.numberOfTrailingZeros(u)); // bit b of units is worth 2^-(exponent - b)
        }
    }

    /** True once exactly 1 has come back: every share given out is home. */
    boolean whole() {
        return setBits == 1 && (bits[0] & 1) != 0;
    }

    private void addBit(int i) {
        if (i < 0 || whole()) {
            throw new IllegalStateException("more credit returned than was given out (a rumour's credit counted "
                    + "twice)");
        }
        if (i >= bits.length * 64) {
            bits = Arrays.copyOf(bits, Math.max(bits.length * 2, i / 64 + 1));
        }
        while (get(i)) { // 2^-i + 2^-i = 2^-(i-1): carry
            flip(i);
            setBits--;
            i--;
            if (i < 0) {
                throw new IllegalStateException("more credit returned than was given out (the sum passed 1)");
            }
        }
        flip(i);
        setBits++;
        if ((bits[0] & 1) != 0 && setBits > 1) {
            throw new IllegalStateException("more credit returned than was given out (the sum passed 1)");
        }
    }

    private boolean get(int i) {
        return (bits[i >>> 6] & (1L << i)) != 0;
    }

    private void flip(int i) {
        bits[i >>> 6] ^= 1L << i;
    }

    /**
     * The exponent {@code d} of a split into {@code k} shares: the least with {@code 2^d >= k + 1}, so that one
     * part at least stays with the one who splits.
     *
     * @throws IllegalArgumentException if {@code k} is negative or too large to split in a long
     */
    static int splitBits(long k) {
        if (k < 0 || k >= 1L << 62) {
            throw new IllegalArgumentException("cannot split credit into " + k + " shares");
        }
        return 64 - Long.numberOfLeadingZeros(k); // 2^d > k
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("CreditSum[");
        for (int i = 0; i < bits.length * 64; i++) {
            if (get(i)) {
                b.append(b.length() > 10 ? " + " : "").append("2^-").append(i);
            }
        }
        return b.append(']').toString();
    }
}
