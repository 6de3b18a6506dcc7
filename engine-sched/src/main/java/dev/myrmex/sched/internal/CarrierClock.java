package dev.myrmex.sched.internal;

/**
 * The scheduler's one reading of time: the machine's monotonic clock. What the scheduler times is real carriers (how
 * long one has been blocked before a spare starts, a stall, a spare's idle time, a lane's time slice, the grace of a
 * shutdown), which a clock moved by hand cannot stand for; the runtime's logical time is engine-core's
 * {@code RuntimeClock}. The architecture test lets this class, and only this one, read the clock in engine-sched.
 */
public final class CarrierClock {
    private CarrierClock() {
    }

    /** Now, in nanoseconds from an arbitrary origin, as {@link System#nanoTime()}. */
    public static long nanoTime() {
        return System.nanoTime();
    }
}
