package dev.myrmex.core.internal;

import dev.myrmex.core.AgentContext;
import dev.myrmex.core.AgentRef;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.AgentState;
import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.LifecycleHooks;
import dev.myrmex.core.Message;
import dev.myrmex.core.Request;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.internal.events.AgentEndEvent;
import dev.myrmex.core.internal.events.AgentRestartEvent;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.sched.SpinLock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent: its mailbox, lifecycle state, counters and end, kept apart from whatever runs its behavior. Built in
 * layers, one concern each: {@link CellCore} (identity, state, lock, deliveries, counters), {@link CellSignals}
 * (chores, the health monitor's finding, the completion), and this class (incarnations, supervision, control, the
 * end, the behavior's context). Two kinds extend it: {@link ThreadAgentCell} runs a direct-style behavior on a
 * virtual thread of its own for its whole life; {@link HandlerAgentCell} runs a message handler in turns, with no
 * thread while it is idle.
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
public abstract sealed class AgentCell<M extends Sendable> extends CellSignals<M> implements Supervised
        permits ThreadAgentCell, HandlerAgentCell {
    private static final Logger LOG = LoggerFactory.getLogger(AgentCell.class);

    private static final VarHandle BEATS;

    static {
        try {
            BEATS = MethodHandles.lookup().findVarHandle(AgentCell.Context.class, "beats", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    AgentCell(AgentRuntime runtime, String name, Mailbox<M> mailbox, Consumer<AgentCell<?>> onEnd, Wiring wiring) {
        super(runtime, name, mailbox, onEnd, wiring);
    }

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
        dropChore();
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
        completeIfMade();
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

    // ---- Supervised: called holding the tree lock ----

    @Override
    public Supervision supervision() {
        return wiring.supervision();
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

    // ---- AgentContext: the behavior's own view ----

    /**
     * The parts of the context both kinds share (a direct-style cell's adds {@code receive}). It also holds the
     * behavior's per-message bookkeeping, so those writes land on this object and not on the cell, whose fields every
     * sender reads (a shared cache line written per message cost a handler agent most of its throughput).
     */
    abstract class Context implements AgentContext<M> {
        /** The liveness heartbeat: bumped (plain stores) by the behavior's side, read opaquely by the monitor. */
        long beats;
        /**
         * Messages until the next timed one (at most {@link AgentStats#SAMPLE_EVERY}); the behavior's side only. A
         * byte so that, with {@link #current}, a handler's context still takes 32 bytes.
         */
        byte untilSample = 1;
        /**
         * The message being processed (a handler's: the one handed to it, until its turn ends; a direct behavior's:
         * the one taken last), or null. The behavior's side only: what a typed reply answers.
         */
        Message<M> current;

        @Override
        public AgentRef<M> self() {
            return ref;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public <R extends Sendable> void reply(Request<?, R> request, R reply) {
            Objects.requireNonNull(request, "request");
            Message<M> m = current;
            if (CellCore.current() != AgentCell.this) {
                throw new IllegalStateException("reply(" + request + ", ...) of agent " + name + " called from "
                        + Thread.currentThread() + ", not from the agent's handler or loop: keep the message's "
                        + "replyTo(request) and reply through it");
            }
            if (m == null || m.payload() != request) {
                throw new IllegalStateException("reply(" + request + ", ...): agent " + name + " is not processing "
                        + "that request now (it processes " + (m == null ? "none" : m.payload()) + "); keep the "
                        + "message's replyTo(request) to reply later");
            }
            m.replyTo(request).signal(reply);
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
