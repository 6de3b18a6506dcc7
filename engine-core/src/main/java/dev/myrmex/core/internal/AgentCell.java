package dev.myrmex.core.internal;

import dev.myrmex.core.AgentContext;
import dev.myrmex.core.AgentFailedException;
import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.AgentState;
import dev.myrmex.core.AgentStuckException;
import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.LifecycleHooks;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.host.HostedAgent;
import dev.myrmex.core.internal.events.AgentEndEvent;
import dev.myrmex.core.internal.events.AgentRestartEvent;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.metrics.AgentMetrics;
import dev.myrmex.core.spi.Endpoint;
import dev.myrmex.core.spi.Pace;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.sched.SpinLock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent: its mailbox, lifecycle state, counters and end, kept apart from whatever runs its behavior. Two kinds
 * extend it: {@link ThreadAgentCell} runs a direct-style behavior on a virtual thread of its own for its whole life;
 * {@link HandlerAgentCell} runs a message handler in turns, with no thread while it is idle.
 *
 * <h2>Incarnations</h2>
 * A behavior runs in <em>incarnations</em>: the first starts at spawn; when it ends (it failed, returned, or was
 * halted for a sibling's restart) {@link #incarnationEnded} decides what follows. An unsupervised agent ends. A
 * supervised one settles (state RESTARTING, no behavior running, mailbox open and filling) and reports to its
 * {@link SupervisionParent}, which restarts it ({@link #restart}: a new incarnation, same ref, same mailbox) or
 * terminates it.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Lifecycle transitions ({@link #pause}, {@link #resume}, {@link #stop}, settling, restart, the end) happen
 *       under the cell's lock ({@link #lockCell}, a {@link SpinLock} embedded in the cell: carriers take it, so it
 *       must never park them); {@link #state} is volatile so any thread reads it. Control requests reach the
 *       behavior through the volatile {@link #paused}, {@link #stopRequested} and {@link #haltRequested} flags plus
 *       a kind-specific nudge ({@link #onControl}). A supervised cell's transitions also hold its tree's lock, taken
 *       first.</li>
 *   <li>The context is for the behavior only (the agent's thread, or the turn that runs its handler).</li>
 *   <li>Any thread delivers ({@link #deliver}); the mailbox orders deliveries per sender.</li>
 *   <li>{@link #end} runs exactly once: from the behavior's side once it can no longer run, or from whoever stops or
 *       terminates the cell while it is idle (the state STOPPING, set under the cell's lock, is the claim).</li>
 * </ul>
 *
 * @param <M> the messages the agent takes
 */
public abstract sealed class AgentCell<M extends Sendable> implements AgentHandle<M>, Endpoint<M>, Supervised
        permits ThreadAgentCell, HandlerAgentCell {
    private static final Logger LOG = LoggerFactory.getLogger(AgentCell.class);

    private static final VarHandle COMPLETION;
    private static final VarHandle BEATS;
    private static final VarHandle CHORE;
    private static final VarHandle LOCK;

    static {
        try {
            COMPLETION = MethodHandles.lookup().findVarHandle(AgentCell.class, "completion", CompletableFuture.class);
            BEATS = MethodHandles.lookup().findVarHandle(AgentCell.Context.class, "beats", long.class);
            CHORE = MethodHandles.lookup().findVarHandle(AgentCell.class, "chore", AgentChore.class);
            LOCK = MethodHandles.lookup().findVarHandle(AgentCell.class, "lockWord", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The agent whose behavior a virtual thread runs: bound for a direct-style agent's life, or for one turn. */
    static final ScopedValue<AgentCell<?>> ON_VIRTUAL = ScopedValue.newInstance();
    /** The agent whose handler a carrier thread runs now: set for one turn (a platform thread has no scoped cost). */
    static final ThreadLocal<AgentCell<?>> ON_CARRIER = new ThreadLocal<>();

    final AgentRuntime runtime;
    final String name;
    final Mailbox<M> mailbox;
    private final Consumer<AgentCell<?>> onEnd;
    /** Supervision, parent (null: unsupervised), hooks and runtime counters: one reference, for idle agents' sake. */
    private final Wiring wiring;
    /**
     * Made on the first {@link #completion()} or {@link #join()}: most agents are never joined, and an idle agent's
     * bytes count. Whoever makes it after the end completes it from the terminal state; see {@link #completionFuture}.
     */
    private volatile CompletableFuture<Object> completion;
    private Throwable failureCause; // written by end() before the terminal state, read after it
    AgentRef<M> ref; // set once by bind, before the agent starts
    volatile AgentState state = AgentState.CREATED;
    volatile boolean paused;
    volatile boolean stopRequested;
    /** A supervisor asked the running incarnation to wind down for a restart. */
    volatile boolean haltRequested;
    private boolean down; // guarded by the cell's lock: an incarnation ended and no new one runs yet (RESTARTING)
    @SuppressWarnings("unused") // through LOCK: the cell's lock, a SpinLock embedded (see lockCell)
    private volatile int lockWord;
    private volatile int restarts;
    /** The failure that led to the running incarnation, for its onRestart hook; null for the first. */
    Throwable restartCause;
    volatile long received; // one writer at a time: the behavior
    /**
     * A message the behavior took from the mailbox but its scheduling policy did not admit yet: it is next, ahead of
     * the mailbox. Written by the behavior only; read by control requests (is there work?) and by the end, which
     * dead-letters it. Always null for an agent without a policy.
     */
    volatile Message<M> held;
    private volatile long deadLettered;
    Object result; // written by the behavior before the end, read after it
    /**
     * Set by the health monitor when it finds the agent stuck, and kept until the incarnation ends: the interrupt it
     * sent fails the next blocking call even if the agent moves on first, and the end then says why.
     */
    private volatile AgentStuckException stuck;
    private volatile AgentStats stats; // made at the first timed message: an agent that never gets mail pays nothing
    /** Work the runtime wants done on the agent's own thread between messages: see {@link #runBetweenMessages}. */
    private volatile AgentChore chore;

    AgentCell(AgentRuntime runtime, String name, Mailbox<M> mailbox, Consumer<AgentCell<?>> onEnd, Wiring wiring) {
        this.runtime = runtime;
        this.name = name;
        this.mailbox = mailbox;
        this.onEnd = onEnd;
        this.wiring = wiring;
    }

    /**
     * How a cell is tied into its runtime.
     *
     * @param supervision its restart settings
     * @param parent      who decides its restarts; null for an unsupervised agent
     * @param hooks       its lifecycle hooks
     * @param counters    the runtime-wide counters it adds to
     * @param hosted      where its behavior really runs when out of process (the cell runs the host's watcher);
     *                    null for an agent in process
     */
    public record Wiring(Supervision supervision, SupervisionParent parent, LifecycleHooks hooks,
                         RuntimeCounters counters, HostedAgent<?> hosted) {
        /** An unsupervised agent without hooks, in process. */
        public static Wiring plain(RuntimeCounters counters) {
            return new Wiring(Supervision.NONE, null, LifecycleHooks.NONE, counters, null);
        }
    }

    /** The agent whose behavior the calling thread runs now, or null when it runs none. */
    public static AgentCell<?> current() {
        if (Thread.currentThread().isVirtual()) {
            return ON_VIRTUAL.isBound() ? ON_VIRTUAL.get() : null;
        }
        return ON_CARRIER.get();
    }

    /** Whether the calling thread is a carrier running a non-blocking handler's turn: it must never wait. */
    public static boolean onCarrier() {
        return !Thread.currentThread().isVirtual() && ON_CARRIER.get() != null;
    }

    /**
     * The clock reading this agent's sends may reuse as their enqueue stamp ({@link MessageStamps}), or null when the
     * thread it runs on keeps one (a carrier) or none (a turn's own virtual thread). Called on the agent's thread.
     */
    public MessageStamps.Reading stampReading() {
        return null;
    }

    public void bind(AgentRef<M> self) {
        this.ref = self;
    }

    /** Starts the agent: from now on its behavior may run. Called once, by the spawn. */
    public abstract void start();

    /**
     * Whether this agent's behavior may block its thread. False for a non-blocking handler, which runs on a carrier:
     * its sends never wait ({@link Pace#NEVER_WAIT}).
     */
    public abstract boolean mayBlock();

    /** Makes the behavior notice a control request (pause, resume or stop) that was just recorded. */
    abstract void onControl(boolean interrupt);

    /** Work for the agent's own thread, between two messages: a checkpoint. */
    public interface AgentChore {
        /** Runs on the agent's thread (or turn), between messages, paused or not. Must not throw. */
        void run();

        /** The agent ended before the chore could run: it never will. */
        void dropped();
    }

    /**
     * Has {@code c} run by the agent itself before it takes its next message (or at once if it waits for one, even
     * while paused). A direct-style behavior runs it in {@code receive}; a handler agent at the start or end of a
     * turn. If the agent ends first, {@code c} is {@link AgentChore#dropped dropped} instead.
     *
     * @return false if a chore is already pending (this one is not taken) or the agent has ended
     */
    public final boolean runBetweenMessages(AgentChore c) {
        if (state.isTerminal() || !CHORE.compareAndSet(this, null, c)) {
            return false;
        }
        if (state.isTerminal() && CHORE.compareAndSet(this, c, null)) { // the end's look came before our set
            c.dropped();
            return true;
        }
        choreArrived();
        return true;
    }

    /** Whether a chore waits to be run: one volatile read. */
    final boolean chorePending() {
        return chore != null;
    }

    /** Runs the pending chore, if any (the behavior's side only). */
    final void runChore() {
        AgentChore c = chore;
        if (c != null && CHORE.compareAndSet(this, c, null)) {
            c.run();
        }
    }

    /** Makes the behavior notice a chore that was just set. */
    abstract void choreArrived();

    /** Ends the agent: the mailbox closes (what is left becomes dead letters), then the completion is set. */
    final void end(Throwable failure) {
        VirtualMachineError fatal = null;
        try {
            sendsAtEnd();
            Message<M> h = held;
            if (h != null) { // first: it was ahead of everything still in the mailbox
                held = null;
                mailbox.deadLetter(h, DeadLetter.Reason.RECIPIENT_STOPPED, failure);
            }
            deadLettered = mailbox.close(failure) + (h != null ? 1 : 0);
        } catch (Throwable t) { // the agent ends all the same: a stranded RUNNING agent would never be joined
            LOG.error("agent {}: closing its mailbox threw; it ends all the same", name, t);
            if (t instanceof VirtualMachineError e) {
                fatal = e;
            }
        }
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
        lockCell();
        try {
            state = last;
        } finally {
            unlockCell();
        }
        AgentChore c = (AgentChore) CHORE.getAndSet(this, null); // after the terminal state: see runBetweenMessages
        if (c != null) {
            c.dropped();
        }
        EventType endType = failure == null ? EventType.AGENT_STOPPED : EventType.AGENT_FAILED;
        if (counters().events().enabled(endType)) {
            counters().events().record(endType, name,
                    failure == null ? "took " + received + " messages" : failure.toString());
        }
        onEnd.accept(this);
        if (wiring.hosted() != null) {
            wiring.hosted().ended();
        }
        if (hooks() != LifecycleHooks.NONE) {
            Hooks.call(this, "onStop", () -> hooks().onStop(this, failure));
        }
        counters().ended(received);
        counters().crashes().ended(this);
        if (wiring.parent() != null) {
            wiring.parent().ended(this, failure);
        }
        CompletableFuture<Object> f = completion; // read after the terminal state: see completionFuture()
        if (f != null) {
            complete(f);
        }
        if (fatal != null) {
            throw fatal;
        }
    }

    /** The behavior's side: runs the start or restart hook at the beginning of an incarnation. */
    final void incarnationBegins() {
        if (hooks() == LifecycleHooks.NONE) {
            return;
        }
        int n = restarts;
        if (n == 0) {
            Hooks.call(this, "onStart", () -> hooks().onStart(this));
        } else {
            Throwable cause = restartCause;
            Hooks.call(this, "onRestart", () -> hooks().onRestart(this, n, cause));
        }
    }

    /**
     * The behavior's side, once per incarnation, when it can no longer run: it threw {@code thrown}, or ended
     * normally (null), or wound down for a stop or a halt. The message it was processing, {@code failedOn} (null if
     * none), becomes a dead letter carrying the cause; then the agent ends, or its supervisor decides.
     */
    final void incarnationEnded(Throwable thrown, Message<M> failedOn) {
        if (thrown != null && onCarrier()) {
            // A failure is logged, runs the onError hook and the supervisor's decision, or the end: I/O and user
            // code, which must not hold a carrier (a crash storm queued every carrier on the log's lock). A virtual
            // thread does it, in the same order; the cell stays SCHEDULED meanwhile, so no turn runs.
            runtime.scheduler().threadBuilder().name(name + "-failed").start(() -> endIncarnation(thrown, failedOn));
            return;
        }
        endIncarnation(thrown, failedOn);
    }

    private void endIncarnation(Throwable thrown, Message<M> failedOn) {
        Throwable failure = failureOf(thrown);
        if (failure != null) {
            if (failedOn != null) {
                mailbox.deadLetter(failedOn, DeadLetter.Reason.AGENT_FAILED, failure);
            }
            if (!stopRequested && !haltRequested) {
                counters().crashes().failed(this, failure, wiring.parent() != null);
                if (hooks() != LifecycleHooks.NONE) {
                    Hooks.call(this, "onError", () -> hooks().onError(this, failure));
                }
            }
        }
        SupervisionParent parent = wiring.parent();
        if (parent == null) {
            end(stopRequested ? null : failure); // what a stop's interrupt caused is not a failure
            return;
        }
        parent.lock().run(() -> {
            Settled settled = settle();
            switch (settled) {
                case ENDING -> parent.lock().later(() -> end(null));
                case HALTED -> parent.halted(this);
                case DOWN -> parent.down(this, failure);
            }
        });
    }

    /** What the incarnation failed with: what it threw, unless the health monitor found it stuck first. */
    private Throwable failureOf(Throwable thrown) {
        AgentStuckException stuckCause = stuck;
        if (stuckCause == null) {
            return thrown;
        }
        stuck = null;
        if (stopRequested || haltRequested) {
            return thrown; // it was being stopped anyway: the interrupt is the stop's
        }
        if (thrown != null && thrown != stuckCause) {
            stuckCause.addSuppressed(thrown); // most likely the InterruptedException the monitor caused
        }
        return stuckCause;
    }

    private enum Settled { ENDING, HALTED, DOWN }

    private Settled settle() {
        lockCell();
        try {
            if (stopRequested) {
                return Settled.ENDING; // the state is STOPPING already: the stop claimed the end
            }
            down = true;
            paused = false;
            state = AgentState.RESTARTING;
            if (haltRequested) {
                haltRequested = false;
                return Settled.HALTED;
            }
            return Settled.DOWN;
        } finally {
            unlockCell();
        }
    }

    /** Starts a new incarnation (a new thread, or a turn with a fresh handler). Called holding the cell's lock. */
    abstract void launch();

    /**
     * Takes the cell's lock: every lifecycle transition holds it. A {@link SpinLock} in {@link #lockWord}, not the
     * object's monitor: non-blocking handlers take it on the carriers, and a carrier must never park (a virtual thread
     * queued for a monitor ahead of every carrier stops the runtime). What runs under it never blocks. Not reentrant.
     */
    final void lockCell() {
        SpinLock.lock(LOCK, this);
    }

    final void unlockCell() {
        SpinLock.unlock(LOCK, this);
    }

    // ---- Supervised: called holding the tree lock ----

    @Override
    public Supervision supervision() {
        return wiring.supervision();
    }

    LifecycleHooks hooks() {
        return wiring.hooks();
    }

    RuntimeCounters counters() {
        return wiring.counters();
    }

    // ---- sampled statistics: the behavior's side ----

    /** Starts timing {@code m}, the {@code receivedSoFar}-th message; returns the start for {@link #sampleEnd}. */
    final long sampleBegin(Message<M> m, long receivedSoFar) {
        AgentStats st = stats;
        if (st == null) {
            stats = st = new AgentStats(counters().clock());
        }
        return st.begin(m, receivedSoFar, counters().mailboxLatency());
    }

    final void sampleEnd(long startedAt) {
        stats.end(startedAt);
    }

    @Override
    public Halt halt() {
        lockCell();
        try {
            if (state.isEnding()) {
                return Halt.ENDED;
            }
            if (down) {
                return Halt.IDLE;
            }
            haltRequested = true;
            paused = false;
            state = AgentState.RESTARTING;
            onControl(false);
            return Halt.WAIT;
        } finally {
            unlockCell();
        }
    }

    @Override
    public void restart(Throwable cause) {
        int n;
        lockCell();
        try {
            if (!down || state != AgentState.RESTARTING) {
                return;
            }
            down = false;
            n = ++restarts;
            restartCause = cause;
            state = AgentState.RUNNING;
            launch();
        } finally {
            unlockCell();
        }
        counters().restarted();
        counters().events().record(EventType.AGENT_RESTARTED, name,
                "restart " + n + (cause == null ? "" : " after " + cause));
        AgentRestartEvent event = new AgentRestartEvent();
        if (event.isEnabled()) {
            event.agent = name;
            event.restarts = n;
            event.cause = cause == null ? null : cause.toString();
            event.commit();
        }
    }

    @Override
    public void terminate(Throwable cause) {
        lockCell();
        try {
            if (!down || state != AgentState.RESTARTING) {
                return;
            }
            stopRequested = true;
            state = AgentState.STOPPING;
        } finally {
            unlockCell();
        }
        wiring.parent().lock().later(() -> end(cause));
    }

    @Override
    public void shutdown() {
        stopIfLive(true);
    }

    @Override
    public boolean isEnding() {
        return state.isEnding();
    }

    // ---- health: the monitor's side ----

    /** The liveness heartbeat count, as recently as the behavior's stores have become visible. */
    public abstract long heartbeats();

    /** Whether the behavior waits for mail now (so it is idle, not stuck). */
    public abstract boolean isWaitingForMail();

    /** The health monitor found it stuck: remember why and interrupt the behavior if that is safe. */
    public final void stuck(AgentStuckException cause) {
        stuck = cause;
        interruptBehavior();
    }

    /** The health monitor's finding if it found this incarnation stuck, else null. */
    final AgentStuckException stuckFinding() {
        return stuck;
    }

    /** Interrupts the running incarnation's thread, if it has one of its own (never a shared carrier). */
    abstract void interruptBehavior();

    /** Restarts so far. */
    public int restarts() {
        return restarts;
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

    @Override
    public Offer offerNow(Message<M> message) {
        return mailbox.offerNow(message);
    }

    @Override
    public boolean mute(Endpoint.MutedSender sender) {
        mailbox.mute(sender);
        return true;
    }

    @Override
    public long muteTimeoutNanos() {
        return mailbox.settings().blockTimeout().toNanos();
    }

    /**
     * A send of this agent's that must not wait ({@link Pace#NEVER_WAIT}: a non-blocking handler in its turn). The
     * handler style overrides it with muting; here it is a plain delivery.
     */
    public <T extends Sendable> boolean sendWithoutWaiting(Endpoint<T> to, Message<T> message)
            throws InterruptedException {
        return to.deliver(message, Pace.NEVER_WAIT);
    }

    /**
     * Publishes {@code message}, kept for this agent's mailbox by a sender that ended, as a MAILBOX_FULL dead letter.
     */
    @SuppressWarnings("unchecked") // it was accepted for this agent's type when it was sent
    final void mailboxDeadLetter(Message<?> message, Throwable cause) {
        mailbox.deadLetter((Message<M>) message, DeadLetter.Reason.MAILBOX_FULL, cause);
    }

    /** At the agent's end, before its mailbox closes: sends it kept for full mailboxes get their last chance. */
    void sendsAtEnd() {
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
    public void pause() {
        lockCell();
        try {
            if (state != AgentState.RUNNING) {
                throw new IllegalStateException("cannot pause agent " + name + ": it is " + state + ", not RUNNING");
            }
            paused = true;
            state = AgentState.PAUSED;
            if (wiring.hosted() != null) {
                wiring.hosted().paused();
            }
            onControl(false);
            counters().events().record(EventType.AGENT_PAUSED, name, "");
        } finally {
            unlockCell();
        }
    }

    @Override
    public void resume() {
        lockCell();
        try {
            if (state != AgentState.PAUSED) {
                throw new IllegalStateException("cannot resume agent " + name + ": it is " + state + ", not PAUSED");
            }
            paused = false;
            state = AgentState.RUNNING;
            if (wiring.hosted() != null) {
                wiring.hosted().resumed();
            }
            onControl(false);
            counters().events().record(EventType.AGENT_RESUMED, name, "");
        } finally {
            unlockCell();
        }
    }

    @Override
    public void stop() {
        stopOrRefuse(true);
    }

    @Override
    public void stopNow() {
        stopOrRefuse(false);
    }

    private void stopOrRefuse(boolean graceful) {
        if (!requestStop(graceful)) {
            throw new IllegalStateException("cannot stop agent " + name + ": it is already " + state);
        }
    }

    /** Stops the agent if it is not stopping or ended already; for the runtime's own stop and a self-stop. */
    public boolean stopIfLive(boolean graceful) {
        return requestStop(graceful);
    }

    private boolean requestStop(boolean graceful) {
        lockCell();
        try {
            if (state.isEnding()) {
                return false;
            }
            stopRequested = true;
            paused = false;
            state = AgentState.STOPPING;
            if (!down) {
                onControl(!graceful); // the running incarnation ends the agent
                return true;
            }
            down = false; // idle between incarnations: no behavior will end it, so this stop does
        } finally {
            unlockCell();
        }
        end(null); // outside the cell's lock: the end reports to the supervisor, whose lock comes first
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

    /** Messages its behavior has taken: {@link #metrics()} without the averages, for runtime-wide sums. */
    public long received() {
        return received;
    }

    /** Messages waiting in its mailbox now. */
    public int mailboxDepth() {
        return mailbox.size() + (held != null ? 1 : 0);
    }

    /** Whether mail waits for the behavior: in the mailbox, or held back by its scheduling policy. */
    final boolean hasMail() {
        return held != null || !mailbox.isEmpty();
    }

    @Override
    public AgentMetrics metrics() {
        long n = received;
        AgentStats st = stats;
        double nanos = st == null ? 0 : st.processingNanos();
        double rate = st == null ? 0 : st.messagesPerSecond(n);
        AgentMetrics local = new AgentMetrics(state, n, mailboxDepth(), deadLettered, restarts, nanos, rate,
                Math.min(1.0, nanos * rate / 1e9));
        return wiring.hosted() == null ? local : wiring.hosted().metrics(local);
    }

    @Override
    public String toString() {
        return "Agent[" + name + ", " + state + "]";
    }

    // ---- AgentContext: the behavior's own view ----

    /**
     * The parts of the context both kinds share (a direct-style cell's adds {@code receive}). It also holds the
     * behavior's per-message bookkeeping, so those writes land on this object and not on the cell, whose fields every
     * sender reads (a shared cache line written per message cost a handler agent most of its throughput).
     */
    abstract class Context implements AgentContext<M> {
        /** The liveness heartbeat: bumped (plain stores) by the behavior's side, read opaquely by the monitor. */
        long beats;
        /** Messages until the next timed one; the behavior's side only. */
        int untilSample = 1;

        @Override
        public AgentRef<M> self() {
            return ref;
        }

        @Override
        public String name() {
            return name;
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
        public void heartbeat() {
            beats++;
        }

        /** The heartbeat count, read opaquely: the behavior bumps it with plain stores. */
        final long beats() {
            return (long) BEATS.getOpaque(this);
        }

        /** Whether to time the message about to be processed: counts {@link #untilSample} down. */
        final boolean sampleNext() {
            if (--untilSample != 0) {
                return false;
            }
            untilSample = AgentStats.SAMPLE_EVERY;
            return true;
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
