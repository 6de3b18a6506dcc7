package dev.myrmex.sched.internal;

import java.util.concurrent.locks.LockSupport;

/** Stands for the scheduler's idle protocol in the test-kit's tests: a park inside the scheduler's package. */
public final class FakeIdle {
    private FakeIdle() {
    }

    public static void parkBriefly() {
        LockSupport.parkNanos(FakeIdle.class, 5_000_000);
    }
}
