package dev.myrmex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Iso moves: the sender's later use and a second move (send) throw; racing moves cannot both win. */
class IsoTest {

    @Test
    void movingHandsTheContentOverAndEmptiesTheSender() {
        StringBuilder buffer = new StringBuilder("draft");
        Iso<StringBuilder> mine = Iso.of(buffer);
        assertSame(buffer, mine.get());
        Iso<StringBuilder> theirs = mine.move();
        assertSame(buffer, theirs.get());
        assertTrue(mine.isMoved());
        assertFalse(theirs.isMoved());
        var e = assertThrows(IllegalStateException.class, mine::get);
        assertTrue(e.getMessage().contains("moved"), e.getMessage());
        e = assertThrows(IllegalStateException.class, mine::move);
        assertTrue(e.getMessage().contains("already moved"), e.getMessage());
        assertEquals("Iso[moved]", mine.toString());
        assertThrows(NullPointerException.class, () -> Iso.of(null));
    }

    @Test
    void ofTwoRacingMovesExactlyOneWins() throws Exception {
        for (int round = 0; round < 2_000; round++) {
            Iso<Object> iso = Iso.of(new Object());
            AtomicInteger wins = new AtomicInteger();
            AtomicInteger losses = new AtomicInteger();
            CyclicBarrier start = new CyclicBarrier(2);
            Runnable mover = () -> {
                try {
                    start.await();
                    iso.move();
                    wins.incrementAndGet();
                } catch (IllegalStateException e) {
                    losses.incrementAndGet();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            Thread a = Thread.ofPlatform().start(mover);
            Thread b = Thread.ofPlatform().start(mover);
            a.join();
            b.join();
            assertEquals(1, wins.get(), "round " + round);
            assertEquals(1, losses.get(), "round " + round);
        }
    }
}
