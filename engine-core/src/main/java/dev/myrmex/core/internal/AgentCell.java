package dev.myrmex.core.internal;

import dev.myrmex.core.AgentContext;
import dev.myrmex.core.AgentFailedException;
import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentMetrics;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.AgentState;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.internal.events.AgentEndEvent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One agent: its mailbox, lifecycle state, counters and end, kept apart from whatever runs its behaviour. Two kinds
 * extend it: {@link ThreadAgentCell} runs a direct-style behaviour on a virtual thread of its own for its whole life;
 * {@link HandlerAgentCell} runs a message handler in turns, with no thread while it is idle.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Lifecycle transitions ({@link #pause}, {@link #resume}, {@link #stop}, the end) happen under this object's
 *       monitor; {@link #state} is volatile so any thread reads it. Control requests reach the behaviour through the
 *       volatile {@link #paused} and {@link #stopRequested} flags plus a kind-specific nudge ({@link #onControl}).</li>
 *   <li>The context is for the behaviour only (the agent's thread, or the turn that runs its handler).</li>
 *   <li>Any thread delivers ({@link #deliver}); the mailbox orders deliveries per sender.</li>
 *   <li>{@link #end} runs exactly once, from the behaviour's side, after the behaviour can no longer run.</li>
 * </ul>
 *
 * @param <M> the messages the agent takes
 */
public abstract sealed class AgentCell<M extends Sendable> implements AgentHandle<M>, Endpoint<M>
        permits ThreadAgentCell, HandlerAgentCell {
    private static final VarHandle COMPLETION;

    static {
        try {
            COMPLETION = MethodHandles.lookup().findVarHandle(AgentCell.class, "completion", CompletableFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The agent whose behaviour a virtual thread runs: bound for a direct-style agent's life, or for one turn. */
    static final ScopedValue<AgentCell<?>> ON_VIRTUAL = ScopedValue.newInstance();
    /** The agent whose handler a carrier thread runs now: set for one turn (a platform thread has no scoped cost). */
    static final ThreadLocal<AgentCell<?>> ON_CARRIER = new ThreadLocal<>();

    final AgentRuntime runtime;
    final String name;
    final Mailbox<M> mailbox;
    private final Consumer<AgentCell<?>> onEnd;
    /**
     * Made on the first {@link #completion()} or {@link #join()}: most agents are never joined, and an idle agent's
     * bytes count. Whoever makes it after the end completes it from {@link #outcome}; see {@link #completionFuture}.
     */
    private volatile CompletableFuture<Object> completion;
    private Throwable failureCause; // written by end() before the terminal state, read after it
    AgentRef<M> ref; // set once by bind, before the agent starts
    volatile AgentState state = AgentState.CREATED;
    volatile boolean paused;
    volatile boolean stopRequested;
    volatile long received; // one writer at a time: the behaviour
    private volatile long deadLettered;
    Object result; // written by the behaviour before the end, read after it

    AgentCell(AgentRuntime runtime, String name, Mailbox<M> mailbox, Consumer<AgentCell<?>> onEnd) {
        this.runtime = runtime;
        this.name = name;
        this.mailbox = mailbox;
        this.onEnd = onEnd;
    }

    /** The agent whose behaviour the calling thread runs now, or null when it runs none. */
    public static AgentCell<?> current() {
        if (Thread.currentThread().isVirtual()) {
            return ON_VIRTUAL.isBound() ? ON_VIRTUAL.get() : null;
        }
        return ON_CARRIER.get();
    }

    public void bind(AgentRef<M> self) {
        this.ref = self;
    }

    /** Starts the agent: from now on its behaviour may run. Called once, by the spawn. */
    public abstract void start();

    /**
     * Whether this agent's behaviour may block its thread. False for a non-blocking handler, which runs on a carrier:
     * its sends never wait ({@link Pace#NEVER_WAIT}).
     */
    public abstract boolean mayBlock();

    /** Makes the behaviour notice a control request (pause, resume or stop) that was just recorded. */
    abstract void onControl(boolean interrupt);

    /** Ends the agent: the mailbox closes (what is left becomes dead letters), then the completion is set. */
    final void end(Throwable failure) {
        deadLettered = mailbox.close();
        failureCause = failure;
        AgentState last = failure == null ? AgentState.STOPPED : AgentState.FAILED;
        AgentEndEvent event = new AgentEndEvent(); // before the end is observable: whoever sees it, sees the event
        if (event.isEnabled()) {
            event.agent = name;
            event.state = last.name();
            event.received = received;
            event.deadLettered = deadLettered;
            event.failure = failure == null ? null : failure.toString();
            event.commit();
        }
        synchronized (this) {
            state = last;
        }
        onEnd.accept(this);
        CompletableFuture<Object> f = completion; // read after the terminal state: see completionFuture()
        if (f != null) {
            complete(f);
        }
    }

    private void complete(CompletableFuture<Object> f) {
        Throwable failure = failureCause;
        if (failure == null) {
            f.complete(result);
        } else {
            f.completeExceptionally(new AgentFailedException("agent " + name + " failed: " + failure, failure));
        }
    }

    /**
     * The completion, made on first use. The end stores the terminal state, then reads {@link #completion}; a maker
     * publishes it, then reads the state (both volatile): at least one of them sees the other and completes it, and
     * completing twice is harmless (the first outcome stays).
     */
    @SuppressWarnings("unchecked") // the VarHandle's field holds CompletableFuture<Object> only
    private CompletableFuture<Object> completionFuture() {
        CompletableFuture<Object> f = completion;
        if (f == null) {
            CompletableFuture<Object> fresh = new CompletableFuture<>();
            f = (CompletableFuture<Object>) COMPLETION.compareAndExchange(this, null, fresh);
            if (f == null) {
                f = fresh;
                if (state.isTerminal()) {
                    complete(f);
                }
            }
        }
        return f;
    }

    // ---- Endpoint ----

    @Override
    public boolean deliver(Message<M> message, Pace pace) throws InterruptedException {
        return mailbox.send(message, pace);
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
        onControl(false);
    }

    @Override
    public synchronized void resume() {
        if (state != AgentState.PAUSED) {
            throw new IllegalStateException("cannot resume agent " + name + ": it is " + state + ", not PAUSED");
        }
        paused = false;
        state = AgentState.RUNNING;
        onControl(false);
    }

    @Override
    public synchronized void stop(boolean graceful) {
        if (state == AgentState.STOPPING || state.isTerminal()) {
            throw new IllegalStateException("cannot stop agent " + name + ": it is already " + state);
        }
        stopRequested = true;
        paused = false;
        state = AgentState.STOPPING;
        onControl(!graceful);
    }

    /** Stops the agent if it is not stopping or ended already; for the runtime's own stop and a self-stop. */
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
            return completionFuture().get();
        } catch (ExecutionException e) {
            throw (AgentFailedException) e.getCause();
        }
    }

    @Override
    public Object join(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return completionFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw (AgentFailedException) e.getCause();
        } catch (TimeoutException e) {
            throw new TimeoutException("agent " + name + " did not end within " + timeout + "; it is " + state);
        }
    }

    @Override
    public CompletableFuture<Object> completion() {
        return completionFuture().copy();
    }

    @Override
    public AgentMetrics metrics() {
        return new AgentMetrics(state, received, mailbox.size(), deadLettered);
    }

    @Override
    public String toString() {
        return "Agent[" + name + ", " + state + "]";
    }

    // ---- AgentContext: the behaviour's own view ----

    /** The parts of the context both kinds share; each kind supplies {@code receive}. */
    abstract class Context implements AgentContext<M> {
        @Override
        public AgentRef<M> self() {
            return ref;
        }

        @Override
        public String name() {
            return name;
        }

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
        abstract Message<M> receive(long timeoutNanos) throws InterruptedException;

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
        public void stopSelf() {
            stopIfLive(true);
        }

        @Override
        public AgentRuntime runtime() {
            return runtime;
        }
    }
}
