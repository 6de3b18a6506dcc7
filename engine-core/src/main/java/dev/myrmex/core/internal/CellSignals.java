package dev.myrmex.core.internal;

import dev.myrmex.core.AgentFailedException;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.AgentStuckException;
import dev.myrmex.core.Sendable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The second layer of an agent's cell (see {@link CellCore}): what other threads hand the agent or wait for. Chores
 * the runtime wants run on the agent's own thread between messages ({@link #runBetweenMessages}), the health
 * monitor's finding that the agent is stuck ({@link #stuck}), and the completion that joiners wait on, made on first
 * use ({@link #completionFuture}).
 *
 * <p>Threads: a chore is set by compare-and-set from any thread and taken by the behavior's side; the end drops what
 * is left ({@link #dropChore}) after the terminal state is stored. The completion is made by any joiner and completed
 * by the end: each stores, then reads the other's field (both volatile), so one of them completes it.
 *
 * @param <M> the messages the agent takes
 */
public abstract sealed class CellSignals<M extends Sendable> extends CellCore<M> permits AgentCell {
    private static final VarHandle COMPLETION;
    private static final VarHandle CHORE;

    static {
        try {
            COMPLETION = MethodHandles.lookup().findVarHandle(CellSignals.class, "completion", CompletableFuture.class);
            CHORE = MethodHandles.lookup().findVarHandle(CellSignals.class, "chore", AgentChore.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Made on the first {@link #completion()} or {@link #join()}: most agents are never joined, and an idle agent's
     * bytes count. Whoever makes it after the end completes it from the terminal state; see {@link #completionFuture}.
     */
    private volatile CompletableFuture<Object> completion;
    Throwable failureCause; // written by the end before the terminal state, read after it
    /**
     * Set by the health monitor when it finds the agent stuck, and kept until the incarnation ends: the interrupt it
     * sent fails the next blocking call even if the agent moves on first, and the end then says why.
     */
    private volatile AgentStuckException stuck;
    /** Work the runtime wants done on the agent's own thread between messages: see {@link #runBetweenMessages}. */
    private volatile AgentChore chore;

    CellSignals(AgentRuntime runtime, String name, Mailbox<M> mailbox, Consumer<AgentCell<?>> onEnd, Wiring wiring) {
        super(runtime, name, mailbox, onEnd, wiring);
    }

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

    /** At the end, after the terminal state is stored: a chore still pending is dropped (see runBetweenMessages). */
    final void dropChore() {
        AgentChore c = (AgentChore) CHORE.getAndSet(this, null);
        if (c != null) {
            c.dropped();
        }
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

    /**
     * What the incarnation failed with: what it threw, unless the health monitor found it stuck first. Clears the
     * finding: the next incarnation starts unstuck.
     */
    final Throwable failureOf(Throwable thrown) {
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

    /** At the end, after the terminal state is stored: completes the completion if a joiner made it already. */
    final void completeIfMade() {
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
}
