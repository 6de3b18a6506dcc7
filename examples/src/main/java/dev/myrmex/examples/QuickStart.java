package dev.myrmex.examples;

import dev.myrmex.sched.WorkStealingScheduler;
import java.util.concurrent.locks.LockSupport;

/** The README's short example, compiled and run by the build so that it cannot rot. */
public final class QuickStart {
    private QuickStart() {
    }

    public static void main(String[] args) throws InterruptedException {
        try (WorkStealingScheduler scheduler = WorkStealingScheduler.builder().workers(2).build()) {
            Thread pong = scheduler.threadBuilder().name("pong").start(() -> {
                LockSupport.park();                       // parks only this virtual thread
                System.out.println("pong woke on the sender's carrier");
            });
            // pong goes to ping's LIFO slot
            scheduler.threadBuilder().name("ping").start(() -> LockSupport.unpark(pong));
            pong.join();
            System.out.println(scheduler.stats());        // LIFO hits, steals, global polls, parks, queue depths
        }
    }
}
