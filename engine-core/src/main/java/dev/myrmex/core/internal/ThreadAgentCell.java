package dev.myrmex.core.internal;

import dev.myrmex.core.AgentContext;
import dev.myrmex.core.AgentFailedException;
import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentMetrics;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.AgentState;
import dev.myrmex.core.AgentStoppingException;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One agent: its mailbox, behaviour, lifecycle state and counters, kept apart from the thread that runs it, so that
 * a future handler-style agent (no thread while idle) can use the same cell.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Lifecycle transitions ({@link #pause}, {@link #resume}, {@link #stop}, the end) happen under this object's
 *       monitor; {@link #state} is volatile so any thread reads it. Control requests reach the agent through the
 *       volatile {@link #paused} and {@link #stopRequested} flags plus an unpark (graceful) or an interrupt
 *       (immediate).</li>
 *   <li>The context ({@link Context}) is for the agent's own thread only; {@link #received} is written only there.</li>
 *   <li>Any thread delivers ({@link #deliver}); the mailbox orders deliveries per sender.</li>
 * </ul>
 *
 * @param <M> the messages the agent takes
 */
public final class AgentCell<M extends Sendable> implements AgentHandle<M>, Endpoint<M> {
    /** The agent whose behaviour the current thread runs, if any: the sender of what it signals. */
    private static final ScopedValue<AgentCell<?>> CURRENT = ScopedValue.newInstance();

    private final AgentRuntime runtime;
    private final String name;
    private final Mailbox<M> mailbox;
    private final Behavior<M> behavior;
    private final Consumer<AgentCell<?>> onEnd;
    private final CompletableFuture<Object> completion = new CompletableFuture<>();
    private final Context context = new Context();
    private final BooleanSupplier controlPending = () -> this.paused || this.stopRequested;
    private AgentRef<M> ref; // set once by bind, before the agent starts
    private Thread thread; // set once by start
    private volatile AgentState state = AgentState.CREATED;
    private volatile boolean paused;
    private volatile boolean stopRequested;
    private volatile long received; // single writer: the agent's thread
    private volatile long deadLettered;
    private Object result; // written by the agent's thread before completion, read after it

    public AgentCell(AgentRuntime runtime, String name, Mailbox<M> mailbox, Behavior<M> behavior,
                     Consumer<AgentCell<?>> onEnd) {
        this.runtime = runtime;
        this.name = name;
        this.mailbox = mailbox;
        this.behavior = behavior;
        this.onEnd = onEnd;
    }

    /** The agent the calling thread runs, or null when it is not an agent's thread. */
    public static AgentCell<?> current() {
        return CURRENT.isBound() ? CURRENT.get() : null;
    }

    public void bind(AgentRef<M> self) {
        this.ref = self;
    }

    /** Starts the agent on a virtual thread from {@code threads}. */
    public void start(Thread.Builder.OfVirtual threads) {
        synchronized (this) {
            thread = threads.name(name).unstarted(this::run);
            state = AgentState.RUNNING;
        }
        thread.start();
    }

    private void run() {
        Throwable failure = null;
        try {
            ScopedValue.where(CURRENT, this).call(() -> {
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

    private void end(Throwable failure) {
        deadLettered = mailbox.close();
        synchronized (this) {
            state = failure == null ? AgentState.STOPPED : AgentState.FAILED;
        }
        onEnd.accept(this);
        if (failure == null) {
            completion.complete(result);
        } else {
            completion.completeExceptionally(new AgentFailedException("agent " + name + " failed: " + failure,
                    failure));
        }
    }

    // ---- Endpoint ----

    @Override
    public boolean deliver(Message<M> message, boolean holdBack) throws InterruptedException {
        return mailbox.send(message, holdBack);
    }

    // ---- AgentHandle ----

    @Override
    public AgentRef<M> ref() {
        return ref;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public AgentState state() {
        return state;
    }

    @Override
    public synchronized void pause() {
        if (state != AgentState.RUNNING) {
            throw new IllegalStateException("cannot pause agent " + name + ": it is " + state + ", not RUNNING");
        }
        paused = true;
        state = AgentState.PAUSED;
        LockSupport.unpark(thread); // a receive waiting for mail must notice
    }

    @Override
    public synchronized void resume() {
        if (state != AgentState.PAUSED) {
            throw new IllegalStateException("cannot resume agent " + name + ": it is " + state + ", not PAUSED");
        }
        paused = false;
        state = AgentState.RUNNING;
        LockSupport.unpark(thread);
    }

    @Override
    public synchronized void stop(boolean graceful) {
        if (state == AgentState.STOPPING || state.isTerminal()) {
            throw new IllegalStateException("cannot stop agent " + name + ": it is already " + state);
        }
        stopRequested = true;
        paused = false;
        state = AgentState.STOPPING;
        if (graceful) {
            LockSupport.unpark(thread);
        } else {
            thread.interrupt();
        }
    }

    /** Stops the agent if it is not stopping or ended already; for the runtime's own stop. */
    public synchronized boolean stopIfLive(boolean graceful) {
        if (state == AgentState.STOPPING || state.isTerminal()) {
            return false;
        }
        stop(graceful);
        return true;
    }

    @Override
    public Object join() throws InterruptedException {
        try {
            return completion.get();
        } catch (ExecutionException e) {
            throw (AgentFailedException) e.getCause();
        }
    }

    @Override
    public Object join(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return completion.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw (AgentFailedException) e.getCause();
        } catch (TimeoutException e) {
            throw new TimeoutException("agent " + name + " did not end within " + timeout + "; it is " + state);
        }
    }

    @Override
    public CompletableFuture<Object> completion() {
        return completion.copy();
    }

    @Override
    public AgentMetrics metrics() {
        return new AgentMetrics(state, received, mailbox.size(), deadLettered);
    }

    @Override
    public String toString() {
        return "Agent[" + name + ", " + state + "]";
    }

    // ---- AgentContext: the agent's own view ----

    private final class Context implements AgentContext<M> {
        @Override
        public AgentRef<M> self() {
            return ref;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Message<M> receive() throws InterruptedException {
            return receive(Long.MAX_VALUE);
        }

        @Override
        public Message<M> receive(Duration timeout) throws InterruptedException {
            Objects.requireNonNull(timeout, "timeout");
            return receive(timeout.toNanos());
        }

        private Message<M> receive(long timeoutNanos) throws InterruptedException {
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
                    LockSupport.park(AgentCell.this); // resume or stop unparks us; spurious wake-ups loop
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
                    received++; // single writer
                    return m;
                }
            }
        }

        @Override
        public void reply(Message<?> request, Sendable reply) {
            Objects.requireNonNull(request, "request");
            if (!(request.sender() instanceof AgentRef<?> to)) {
                throw new IllegalStateException("the message " + request.payload() + " has no sender to reply to");
            }
            @SuppressWarnings("unchecked")
            AgentRef<Sendable> replyTo = (AgentRef<Sendable>) to;
            replyTo.signal(reply);
        }

        @Override
        public void result(Object value) {
            result = value;
        }

        @Override
        public AgentRuntime runtime() {
            return runtime;
        }
    }
}
