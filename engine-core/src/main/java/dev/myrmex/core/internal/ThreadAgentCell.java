package dev.myrmex.core.internal;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.AgentState;
import dev.myrmex.core.AgentStoppingException;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.DirectContext;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.scheduling.AgentSchedule;
import dev.myrmex.core.time.RuntimeClock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A direct-style agent: its behavior is ordinary blocking code on a virtual thread of its own, which takes messages
 * with {@code receive()} and parks while the mailbox is empty. Each incarnation (a restart) runs on a new thread.
 *
 * <p>Threads: the incarnation's virtual thread runs the behavior and is the mailbox's only receiver; control requests
 * (pause, resume, stop, halt) come from any thread and reach it by the volatile flags plus an unpark (or, for an
 * immediate stop, an interrupt).
 *
 * @param <M> the messages the agent takes
 */
public final class ThreadAgentCell<M extends Sendable> extends AgentCell<M> {
    private static final VarHandle WAITING;

    static {
        try {
            WAITING = MethodHandles.lookup().findVarHandle(ThreadAgentCell.ThreadContext.class, "waitingForMail",
                    boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What every incarnation runs ({@link dev.myrmex.core.Behaviors#setup} makes a fresh one each time). */
    private final Behavior<M> behavior;
    /** The first incarnation's behavior, already made by the spawn; later ones run {@link #behavior}. */
    private Behavior<M> first;
    private final ThreadFactory threads;
    private final ThreadContext context = new ThreadContext();
    private final BooleanSupplier controlPending =
            () -> this.paused || this.stopRequested || this.haltRequested || chorePending();
    private volatile Thread thread; // the running incarnation's; set under the monitor by launch
    /** The agent's scheduling policy, whose lane {@link #threads} builds on; null for none. */
    private final Pacing pacing;
    /** Its sends' clock reading, made at the first send; used by the incarnation's thread only. */
    private MessageStamps.Reading stampReading;

    /**
     * @param threads makes the incarnations' threads: a factory of the scheduler's builder or the policy's lane's,
     *                shared by many agents (a builder's factory is thread-safe, a builder is not)
     */
    public ThreadAgentCell(AgentRuntime runtime, String name, Mailbox<M> mailbox, Behavior<M> behavior,
                           Behavior<M> first, Consumer<AgentCell<?>> onEnd, Wiring wiring,
                           ThreadFactory threads, Pacing pacing) {
        super(runtime, name, mailbox, onEnd, wiring);
        this.pacing = pacing;
        this.behavior = behavior;
        this.first = first;
        this.threads = threads;
    }

    @Override
    public void start() {
        lockCell();
        try {
            state = AgentState.RUNNING;
            launch();
        } finally {
            unlockCell();
        }
    }

    @Override
    void launch() {
        Thread t = threads.newThread(this::run);
        t.setName(name);
        thread = t;
        t.start();
    }

    @Override
    public boolean mayBlock() {
        return true;
    }

    @Override
    public MessageStamps.Reading stampReading() {
        MessageStamps.Reading r = stampReading;
        if (r == null) {
            stampReading = r = new MessageStamps.Reading();
        }
        return r;
    }

    @Override
    public boolean isWaitingForMail() {
        return (boolean) WAITING.getOpaque(context);
    }

    @Override
    public long heartbeats() {
        return context.beats();
    }

    @Override
    void interruptBehavior() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    void onControl(boolean interrupt) {
        if (interrupt) {
            thread.interrupt();
        } else {
            LockSupport.unpark(thread); // a receive waiting for mail must look at the flags
        }
    }

    @Override
    void choreArrived() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t); // a receive waiting for mail, or paused, runs it
        }
    }

    private void run() {
        Throwable failure = null;
        Behavior<M> b = first != null ? first : behavior;
        first = null; // written and read by incarnation threads only, each started after the previous one ended
        context.sampleStartedAt = 0; // a sample the last incarnation died in is not this one's to finish
        context.current = null;
        try {
            incarnationBegins();
            ScopedValue.where(ON_VIRTUAL, this).call(() -> {
                b.run(context);
                return null;
            });
        } catch (AgentStoppingException stopping) {
            // a graceful stop or halt unwound the behavior: a normal end of this incarnation
        } catch (Throwable t) {
            failure = t;
        } finally {
            Message<M> failedOn = context.current;
            context.current = null;
            incarnationEnded(failure, failedOn);
        }
    }

    /** Its fields are the incarnation thread's per-message bookkeeping: see {@link AgentCell.Context}. */
    private final class ThreadContext extends Context implements DirectContext<M> {
        // current (in Context) is the message taken last: dead-lettered with the cause if the behavior fails
        long sampleStartedAt; // when the timed message being processed began, or 0
        boolean waitingForMail; // read opaquely by the health monitor

        @Override
        public Message<M> receive(Duration timeout) throws InterruptedException {
            Objects.requireNonNull(timeout, "timeout");
            return receive(timeout.toNanos());
        }

        @Override
        public Message<M> receive() throws InterruptedException {
            return receive(Long.MAX_VALUE);
        }

        /** The next message within {@code timeoutNanos} ({@code Long.MAX_VALUE}: no limit), or null. */
        Message<M> receive(long timeoutNanos) throws InterruptedException {
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException("receive() of agent " + name + " called from " + Thread.currentThread()
                        + ": only the agent's own thread may receive");
            }
            boolean forever = timeoutNanos == Long.MAX_VALUE;
            long deadline = forever ? 0 : RuntimeClock.system().nanoTime() + timeoutNanos;
            current = null; // the previous message is done with: a failure from here on is not its fault
            beats++;
            if (sampleStartedAt != 0) {
                sampleEnd(sampleStartedAt);
                sampleStartedAt = 0;
            }
            while (true) {
                if (chorePending()) { // first: a checkpoint asked for before a stop sees the last message's state
                    runChore();
                }
                if (stopRequested || haltRequested) {
                    throw new AgentStoppingException("agent " + name + " is stopping");
                }
                if (paused) {
                    LockSupport.park(ThreadAgentCell.this); // resume or stop unparks us; spurious wake-ups loop
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    continue;
                }
                long left = forever ? Long.MAX_VALUE : deadline - RuntimeClock.system().nanoTime();
                if (left <= 0) {
                    return null;
                }
                Message<M> m = held;
                if (m != null) {
                    held = null;
                } else {
                    waitingForMail = true;
                    try {
                        m = mailbox.take(left, TimeUnit.NANOSECONDS, controlPending);
                    } finally {
                        waitingForMail = false;
                    }
                    if (m == null) {
                        continue;
                    }
                }
                if (pacing != null && !admitted(m, forever ? Long.MAX_VALUE : left)) {
                    continue; // held: the loop looks at the flags and the deadline again
                }
                long n = ++received; // one writer: this thread
                current = m;
                if (sampleNext()) {
                    sampleStartedAt = sampleBegin(m, n); // timed until the next receive
                }
                return m;
            }
        }

        /**
         * Asks the agent's schedule whether {@code m} may be taken now. If not, holds it and ends this run as the
         * schedule says (a yield, or a wait of at most {@code left}); a control request cuts the wait short.
         */
        private boolean admitted(Message<M> m, long left) throws InterruptedException {
            long decision;
            try {
                decision = pacing.admit();
            } catch (RuntimeException | Error e) {
                current = m; // the incarnation fails with the policy's exception: m becomes its dead letter
                throw e;
            }
            if (decision == AgentSchedule.GO) {
                return true;
            }
            held = m;
            boolean runGoesOn;
            waitingForMail = true; // waiting for its turn: not stuck
            try {
                runGoesOn = pacing.pause(decision < 0 ? decision : Math.min(decision, left));
            } finally {
                waitingForMail = false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (runGoesOn) { // the JDK declined the yield: take it now rather than ask again and spin
                held = null;
                return true;
            }
            return false;
        }
    }
}
