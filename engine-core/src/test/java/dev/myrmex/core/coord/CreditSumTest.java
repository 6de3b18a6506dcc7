package dev.myrmex.core.coord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CreditSumTest {
    /**
     * Property: credit 1 split down a random tree of rumours (up to 2,000, each sending 0 to 6 on), as relays split
     * it, with the receipts coming back in a random order: the sum is whole after the last receipt and not before.
     */
    @Test
    void theCreditIsWholeExactlyWhenEveryReceiptIsBack() {
        qt().withExamples(200).forAll(longs().all()).checkAssert(seed -> {
            Random random = new Random(seed);
            List<long[]> receipts = new ArrayList<>(); // {exponent, units}
            List<Integer> shares = new ArrayList<>(List.of(0)); // the broadcaster's whole credit: 2^-0
            int handled = 0;
            while (!shares.isEmpty()) {
                int e = shares.remove(random.nextInt(shares.size()));
                int k = handled++ < 2_000 ? random.nextInt(7) : 0;
                int d = CreditSum.splitBits(k);
                for (int i = 0; i < k; i++) {
                    shares.add(e + d);
                }
                receipts.add(new long[] {e + d, (1L << d) - k});
            }
            Collections.shuffle(receipts, random);
            CreditSum sum = new CreditSum();
            for (int i = 0; i < receipts.size(); i++) {
                assertFalse(sum.whole(), "whole with " + (receipts.size() - i) + " receipts to come: " + sum);
                sum.add((int) receipts.get(i)[0], receipts.get(i)[1]);
            }
            assertTrue(sum.whole(), sum.toString());
        });
    }

    @Test
    void returningMoreThanWasGivenOutIsRefused() {
        CreditSum sum = new CreditSum();
        sum.add(1, 1);
        sum.add(2, 2);
        assertTrue(sum.whole());
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> sum.add(5, 1));
        assertTrue(twice.getMessage().contains("more credit returned"), twice.getMessage());
        CreditSum over = new CreditSum();
        over.add(1, 1);
        assertThrows(IllegalStateException.class, () -> over.add(0, 1));
        assertThrows(IllegalStateException.class, () -> new CreditSum().add(0, 2));
        assertThrows(IllegalArgumentException.class, () -> new CreditSum().add(-1, 1));
    }

    @Test
    void aSplitKeepsAtLeastOnePart() {
        long[][] cases = {{0, 0}, {1, 1}, {2, 2}, {3, 2}, {4, 3}, {7, 3}, {8, 4}, {48, 6}};
        for (long[] c : cases) {
            assertEquals(c[1], CreditSum.splitBits(c[0]), "shares " + c[0]);
            assertTrue((1L << c[1]) >= c[0] + 1);
        }
        assertThrows(IllegalArgumentException.class, () -> CreditSum.splitBits(-1));
    }
}
