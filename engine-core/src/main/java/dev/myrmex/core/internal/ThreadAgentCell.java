package dev.myrmex.core.internal;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.AgentState;
import dev.myrmex.core.AgentStoppingException;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A direct-style agent: its behaviour is ordinary blocking code on a virtual thread of its own, which takes messages
 * with {@code receive()} and parks while the mailbox is empty.
 *
 * <p>Threads: the agent's virtual thread runs the behaviour and is the mailbox's only receiver; control requests
 * (pause, resume, stop) come from any thread and reach it by the volatile flags plus an unpark (or, for an immediate
 * stop, an interrupt).
 *
 * @param <M> the messages the agent takes
 */
public final class ThreadAgentCell<M extends Sendable> extends AgentCell<M> {
    private final Behavior<M> behavior;
    private final Thread.Builder.OfVirtual threads;
    private final Context context = new DirectContext();
    private final BooleanSupplier controlPending = () -> this.paused || this.stopRequested;
    private Thread thread; // set once by start

    public ThreadAgentCell(AgentRuntime runtime, String name, Mailbox<M> mailbox, Behavior<M> behavior,
                           Consumer<AgentCell<?>> onEnd, Thread.Builder.OfVirtual threads) {
        super(runtime, name, mailbox, onEnd);
        this.behavior = behavior;
        this.threads = threads;
    }

    @Override
    public void start() {
        synchronized (this) {
            thread = threads.name(name).unstarted(this::run);
            state = AgentState.RUNNING;
        }
        thread.start();
    }

    @Override
    public boolean mayBlock() {
        return true;
    }

    @Override
    void onControl(boolean interrupt) {
        if (interrupt) {
            thread.interrupt();
        } else {
            LockSupport.unpark(thread); // a receive waiting for mail must look at the flags
        }
    }

    private void run() {
        Throwable failure = null;
        try {
            ScopedValue.where(ON_VIRTUAL, this).call(() -> {
                behavior.run(context);
                return null;
            });
        } catch (AgentStoppingException stopping) {
            // a graceful stop unwound the behaviour: a normal end
        } catch (Throwable t) {
            if (!stopRequested) {
                failure = t; // after a stop request, what the interrupt or unwinding caused is not a failure
            }
        } finally {
            end(failure);
        }
    }

    private final class DirectContext extends Context {
        @Override
        Message<M> receive(long timeoutNanos) throws InterruptedException {
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException("receive() of agent " + name + " called from " + Thread.currentThread()
                        + ": only the agent's own thread may receive");
            }
            boolean forever = timeoutNanos == Long.MAX_VALUE;
            long deadline = forever ? 0 : System.nanoTime() + timeoutNanos;
            while (true) {
                if (stopRequested) {
                    throw new AgentStoppingException("agent " + name + " is stopping");
                }
                if (paused) {
                    LockSupport.park(ThreadAgentCell.this); // resume or stop unparks us; spurious wake-ups loop
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    continue;
                }
                long left = forever ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                Message<M> m = mailbox.take(left, TimeUnit.NANOSECONDS, controlPending);
                if (m != null) {
                    received++; // one writer: this thread
                    return m;
                }
            }
        }
    }
}
