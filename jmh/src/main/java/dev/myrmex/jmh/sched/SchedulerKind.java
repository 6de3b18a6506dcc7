package dev.myrmex.jmh.sched;

import dev.myrmex.sched.WorkStealingScheduler;
import java.time.Duration;

/**
 * The schedulers a benchmark compares in one run: ours, and the JDK's default (a ForkJoinPool with one carrier per
 * core), both with as many carriers as the machine has cores.
 */
public enum SchedulerKind {
    MYRMEX, JDK;

    /** Holds the scheduler under test and builds its virtual threads. */
    public static final class Instance implements AutoCloseable {
        private final WorkStealingScheduler scheduler;

        public Instance(SchedulerKind kind) {
            this.scheduler = kind == MYRMEX
                    ? WorkStealingScheduler.builder().name("bench").seed(42).closeGrace(Duration.ofSeconds(2)).build()
                    : null;
        }

        public Thread.Builder.OfVirtual threads() {
            return scheduler != null ? scheduler.threadBuilder() : Thread.ofVirtual();
        }

        public String stats() {
            return scheduler != null ? scheduler.stats().toString() : "jdk default scheduler";
        }

        @Override
        public void close() {
            if (scheduler != null) {
                scheduler.close();
            }
        }
    }
}
