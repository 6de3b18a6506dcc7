package dev.myrmex.jmh.sched;

import dev.myrmex.sched.internal.JdkVirtualThreads;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * A benchmark baseline, not a scheduler anyone should use: the thinnest executor that can carry virtual threads.
 * One carrier thread; a wake-up issued by the virtual thread it carries goes to a plain {@link ArrayDeque} and runs
 * next (LIFO), with no atomic operation at all; anything else goes through a concurrent queue and an unpark. Its
 * ping-pong hop is the JDK's virtual-thread park/unpark cost plus almost nothing: the lower bound for any scheduler.
 *
 * <p>Contract: {@link #local} is touched only by the carrier thread (the JDK calls {@link #execute} on the carrier
 * when a virtual thread it carries wakes another); {@link #outside} is multi-producer, consumed by the carrier.
 */
final class SingleCarrierExecutor implements Executor {
    private final ArrayDeque<Runnable> local = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Runnable> outside = new ConcurrentLinkedQueue<>();
    private final Thread carrier;
    private volatile boolean stopped;

    SingleCarrierExecutor() {
        carrier = Thread.ofPlatform().daemon().name("single-carrier").start(this::loop);
    }

    private void loop() {
        while (!stopped) {
            Runnable r = local.pollLast();
            if (r == null) {
                r = outside.poll();
            }
            if (r == null) {
                LockSupport.park(this); // an outside submission unparks us; a spurious wake-up just loops
                continue;
            }
            r.run();
        }
    }

    @Override
    public void execute(Runnable continuation) {
        if (JdkVirtualThreads.currentCarrierThread() == carrier) {
            local.addLast(continuation);
        } else {
            outside.add(continuation);
            LockSupport.unpark(carrier);
        }
    }

    Thread.Builder.OfVirtual threadBuilder() {
        return JdkVirtualThreads.newBuilder(this);
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(carrier);
    }
}
