package dev.myrmex.jmh.sched;

import dev.myrmex.sched.WorkStealingScheduler;
import java.time.Duration;

/**
 * The schedulers a benchmark compares in one run: ours, and the JDK's default (a ForkJoinPool with one carrier per
 * core), both with as many carriers as the machine has cores. {@code SINGLE_CARRIER} is a lower bound for
 * hand-off benchmarks only ({@link SingleCarrierExecutor}): one carrier, no atomics, so no parallelism either.
 */
public enum SchedulerKind {
    MYRMEX, JDK, SINGLE_CARRIER;

    /** Holds the scheduler under test and builds its virtual threads. */
    public static final class Instance implements AutoCloseable {
        private final WorkStealingScheduler scheduler;
        private final SingleCarrierExecutor single;

        public Instance(SchedulerKind kind) {
            this.scheduler = kind == MYRMEX
                    ? WorkStealingScheduler.builder().name("bench").seed(42).closeGrace(Duration.ofSeconds(2)).build()
                    : null;
            this.single = kind == SINGLE_CARRIER ? new SingleCarrierExecutor() : null;
        }

        public Thread.Builder.OfVirtual threads() {
            if (scheduler != null) {
                return scheduler.threadBuilder();
            }
            return single != null ? single.threadBuilder() : Thread.ofVirtual();
        }

        public String stats() {
            if (scheduler != null) {
                return scheduler.stats().toString();
            }
            return single != null ? "single-carrier baseline" : "jdk default scheduler";
        }

        @Override
        public void close() {
            if (scheduler != null) {
                scheduler.close();
            }
            if (single != null) {
                single.stop();
            }
        }
    }
}
