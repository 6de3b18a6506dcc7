package dev.myrmex.core.internal;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.AgentState;
import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.LifecycleHooks;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.host.HostedAgent;
import dev.myrmex.core.metrics.AgentMetrics;
import dev.myrmex.core.spi.Endpoint;
import dev.myrmex.core.spi.Pace;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.sched.SpinLock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * The first layer of an agent's cell ({@link AgentCell} is the whole): what the agent is and what it holds, read by
 * every thread that sends to it or looks at it. Its name, runtime and wiring; its lifecycle state and the flags that
 * carry control requests to the behavior; the cell's lock; its mailbox and the deliveries into it; its counters.
 * The layers above add what other threads hand the agent or wait for ({@link CellSignals}: chores, the health
 * monitor's finding, the completion), then its lifecycle ({@link AgentCell}: incarnations, supervision, control and
 * the end). One object all the same: the layers split the code by concern, not the agent's bytes.
 *
 * <p>Threads: any thread delivers ({@link #deliver}); the mailbox orders deliveries per sender. The state and the
 * flags are volatile, written under the cell's lock ({@link #lockCell}); {@link #received}, {@link #held} and the
 * statistics are written by the behavior's side only.
 *
 * @param <M> the messages the agent takes
 */
public abstract sealed class CellCore<M extends Sendable> implements AgentHandle<M>, Endpoint<M>
        permits CellSignals {
    private static final VarHandle LOCK;

    static {
        try {
            LOCK = MethodHandles.lookup().findVarHandle(CellCore.class, "lockWord", int.class);
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
    final Consumer<AgentCell<?>> onEnd;
    /** Supervision, parent (null: unsupervised), hooks and runtime counters: one reference, for idle agents' sake. */
    final Wiring wiring;
    AgentRef<M> ref; // set once by bind, before the agent starts
    volatile AgentState state = AgentState.CREATED;
    volatile boolean paused;
    volatile boolean stopRequested;
    /** A supervisor asked the running incarnation to wind down for a restart. */
    volatile boolean haltRequested;
    boolean down; // guarded by the cell's lock: an incarnation ended and no new one runs yet (RESTARTING)
    @SuppressWarnings("unused") // through LOCK: the cell's lock, a SpinLock embedded (see lockCell)
    private volatile int lockWord;
    volatile int restarts;
    /** The failure that led to the running incarnation, for its onRestart hook; null for the first. */
    Throwable restartCause;
    volatile long received; // one writer at a time: the behavior
    /**
     * A message the behavior took from the mailbox but its scheduling policy did not admit yet: it is next, ahead of
     * the mailbox. Written by the behavior only; read by control requests (is there work?) and by the end, which
     * dead-letters it. Always null for an agent without a policy.
     */
    volatile Message<M> held;
    volatile long deadLettered;
    Object result; // written by the behavior before the end, read after it
    private volatile AgentStats stats; // made at the first timed message: an agent that never gets mail pays nothing

    CellCore(AgentRuntime runtime, String name, Mailbox<M> mailbox, Consumer<AgentCell<?>> onEnd, Wiring wiring) {
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

    /** Restarts so far. */
    public int restarts() {
        return restarts;
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
}
