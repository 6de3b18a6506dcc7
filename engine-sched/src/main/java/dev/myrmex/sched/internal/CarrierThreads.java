package dev.myrmex.sched.internal;

/** Tells the scheduler's carrier threads from other threads, for code that must not let a carrier wait. */
public final class CarrierThreads {
    private CarrierThreads() {
    }

    /** True if {@code t} is a carrier of some {@code WorkStealingScheduler}: a worker or a spare. */
    public static boolean isCarrier(Thread t) {
        return t instanceof Carrier;
    }
}
