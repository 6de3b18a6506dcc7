package dev.myrmex.core.internal.supervision;

import dev.myrmex.core.AgentFailedException;
import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentState;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.SpawnOptions;
import dev.myrmex.core.internal.Supervised;
import dev.myrmex.core.internal.SupervisionParent;
import dev.myrmex.core.internal.TreeLock;
import dev.myrmex.core.supervision.RestartPolicy;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.core.supervision.SupervisionStrategy;
import dev.myrmex.core.supervision.Supervisor;
import dev.myrmex.core.supervision.SupervisorSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A supervisor: a node of a supervision tree. Its children report to it ({@link SupervisionParent}); its parent node
 * drives it like any child ({@link Supervised}). A standalone supervised agent
 * ({@link SpawnOptions#withSupervision}) gets a hidden node of its own, ONE_FOR_ONE with one child.
 *
 * <h2>Concurrency</h2>
 * Every field below the final ones is guarded by the tree's {@link TreeLock}, shared by all nodes and agents of one
 * tree; every entry point takes it. Effects that run user code (an agent's end) are deferred with
 * {@link TreeLock#later} and run after the lock is let go. Restarts happen in <em>rounds</em>: a round gathers the
 * children to restart (one, all, or the rest, by strategy), waits until each has wound down, then waits out the
 * backoff (on the runtime's timing wheel) and restarts them in start order. A failure while a group round waits joins
 * it; a round made stale (by a new group failure, a halt or a stop of this node) is cancelled and ignored when due.
 */
public final class SupervisorNode implements Supervisor, Supervised, SupervisionParent {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisorNode.class);

    private final TreeRuntime runtime;
    private final String name;
    private final SupervisorSpec spec;
    private final Supervision supervision;
    private final SupervisorNode parentNode; // null: a root, whose failure goes to the runtime
    private final TreeLock lock;
    private final List<Slot> slots = new ArrayList<>();
    private final Map<Supervised, Slot> byChild = new IdentityHashMap<>();
    private final Set<RestartRound> pending = new HashSet<>();
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private volatile AgentState state = AgentState.CREATED;
    private volatile int restarts;
    private RestartRound groupRound; // the ALL_FOR_ONE / REST_FOR_ONE round still gathering or waiting out its backoff
    private boolean halting; // winding all children down, for our parent (halt) or to escalate
    private int haltWaiting; // children asked to halt that have not yet
    private Throwable escalating; // set: once halted, report down(this, escalating) instead of halted(this)
    private Throwable endCause; // while STOPPING: how to end

    /** One child position: its spec and its current incarnation. */
    private static final class Slot {
        final SupervisorSpec.Child spec;
        volatile Supervised current; // written under the lock; read by lookups without it
        final RestartBudget restarts; // the restarts left within the spec's window
        RestartRound round; // the round that will restart it, or null
        Throwable cause; // the failure that put it into its round; null for a collateral restart
        boolean awaited; // asked to halt, not yet halted
        boolean respawnWhenEnded; // our restart found it ending: start a new one once it has ended
        boolean ended; // the current incarnation has reported its end (its name is free again)

        Slot(SupervisorSpec.Child spec) {
            this.spec = spec;
            this.restarts = new RestartBudget(spec.supervision());
        }
    }

    public SupervisorNode(TreeRuntime runtime, String name, SupervisorSpec spec, Supervision supervision,
                   SupervisorNode parentNode) {
        this.runtime = runtime;
        this.name = name;
        this.spec = spec;
        this.supervision = supervision;
        this.parentNode = parentNode;
        this.lock = parentNode == null ? new TreeLock(runtime.threadBuilder()) : parentNode.lock;
        for (SupervisorSpec.Child c : spec.children()) {
            slots.add(new Slot(c));
        }
    }

    /**
     * Starts the children in order.
     *
     * @throws RuntimeException what a child's spawn threw (its name is taken, the runtime is stopped...), after the
     *                          children started before it have been stopped
     */
    public void start() {
        lock.run(() -> {
            state = AgentState.RUNNING;
            for (Slot s : slots) {
                try {
                    spawn(s);
                } catch (RuntimeException | Error e) {
                    state = AgentState.STOPPED; // never seen by anyone: no completion to report
                    for (Slot started : slots) {
                        if (started.current != null) {
                            lock.later(started.current::shutdown);
                        }
                    }
                    throw e;
                }
            }
        });
    }

    /** The first child's current incarnation: the agent of a standalone supervised spawn. */
    public Supervised firstChild() {
        return slots.getFirst().current;
    }

    private void spawn(Slot s) {
        Supervised child = switch (s.spec) {
            case SupervisorSpec.AgentChild a -> runtime.spawnChild(a, this);
            case SupervisorSpec.SupervisorChild n -> {
                SupervisorNode node = new SupervisorNode(runtime, n.name(), n.spec(), n.supervision(), this);
                node.start();
                yield node;
            }
        };
        if (s.current != null) {
            byChild.remove(s.current);
        }
        s.current = child;
        s.ended = false;
        byChild.put(child, s);
    }

    // ---- SupervisionParent: our children report here ----

    @Override
    public TreeLock lock() {
        return lock;
    }

    @Override
    public void down(Supervised child, Throwable failure) {
        Slot s = byChild.get(child);
        if (s == null) {
            child.terminate(failure);
            return;
        }
        RestartPolicy policy = child.supervision().policy();
        boolean wantsRestart = policy == RestartPolicy.ALWAYS || policy == RestartPolicy.ON_FAILURE && failure != null;
        if (!wantsRestart || state.isEnding() || !runtime.isRunning()) {
            child.terminate(failure);
            return;
        }
        noLongerAwaited(s, s.round); // if we waited for it to halt: it went down on its own, idle either way
        int attempt = recordRestart(s);
        if (attempt < 0) {
            Throwable cause = failure != null ? failure : new IllegalStateException("ended normally under ALWAYS");
            child.terminate(cause);
            Supervision sup = child.supervision();
            escalate(new AgentFailedException("child " + child.name() + " of supervisor " + name
                    + " went down more than " + sup.maxRestarts() + " times within " + sup.window(), cause));
            return;
        }
        if (halting) {
            quietIfDone(); // we restart it with ourselves
            return;
        }
        Duration delay = child.supervision().backoff().delay(attempt,
                runtime.restartJitter());
        planRound(s, failure, delay);
    }

    @Override
    public void halted(Supervised child) {
        Slot s = byChild.get(child);
        if (s == null || !noLongerAwaited(s, s.round)) {
            return;
        }
        if (halting) {
            quietIfDone();
        } else if (s.round != null) {
            scheduleIfReady(s.round);
        }
    }

    /**
     * {@code s} is idle or gone: if we were waiting for it to halt, we are not any more (one fewer for our own halt,
     * or for its round {@code r}). Returns whether we were.
     */
    private boolean noLongerAwaited(Slot s, RestartRound r) {
        if (!s.awaited) {
            return false;
        }
        s.awaited = false;
        if (halting) {
            haltWaiting--;
        } else if (r != null) {
            r.waiting--;
        }
        return true;
    }

    @Override
    public void ended(Supervised child, Throwable failure) {
        lock.run(() -> {
            Slot s = byChild.get(child);
            if (s == null) {
                return;
            }
            s.ended = true;
            RestartRound r = s.round;
            s.round = null;
            s.cause = null;
            if (noLongerAwaited(s, r) && halting) {
                quietIfDone();
            }
            if (r != null) {
                scheduleIfReady(r);
            }
            if (s.respawnWhenEnded) {
                s.respawnWhenEnded = false;
                respawn(s);
            }
            if (state == AgentState.STOPPING || state == AgentState.RUNNING) {
                finishIfAllEnded();
            }
        });
    }

    /** Notes a restart of {@code s} now; its number within the window from 1, or -1 if that exceeds the limit. */
    private int recordRestart(Slot s) {
        return s.restarts.spend(runtime.clock().nanoTime());
    }

    private void planRound(Slot failed, Throwable cause, Duration delay) {
        RestartRound r;
        if (spec.strategy() == SupervisionStrategy.ONE_FOR_ONE) {
            r = new RestartRound();
        } else {
            r = groupRound;
            if (r == null || r.scheduled) {
                RestartRound merged = new RestartRound();
                if (r != null) { // its backoff is running: take its members into a new round, counted afresh
                    r.cancelled = true;
                    merged.delay = r.delay;
                    for (Slot s : slots) {
                        if (s.round == r) {
                            s.round = merged;
                        }
                    }
                }
                r = merged;
                groupRound = r;
            }
        }
        pending.add(r);
        failed.round = r;
        failed.cause = cause;
        if (delay.compareTo(r.delay) > 0) {
            r.delay = delay;
        }
        if (spec.strategy() != SupervisionStrategy.ONE_FOR_ONE) {
            int from = spec.strategy() == SupervisionStrategy.ALL_FOR_ONE ? 0 : slots.indexOf(failed);
            for (Slot s : slots.subList(from, slots.size())) {
                if (s.round != null || s.current.isEnding()) {
                    continue; // already in the round, or ended: nothing to restart
                }
                if (s.current.supervision().policy() == RestartPolicy.NEVER) {
                    // OTP's one_for_all and rest_for_one: a temporary sibling is terminated with the group, and
                    // not restarted (a graceful stop; it ends STOPPED, its queued mail becomes dead letters)
                    lock.later(s.current::shutdown);
                    continue;
                }
                switch (s.current.halt()) {
                    case WAIT -> {
                        s.round = r;
                        s.awaited = true;
                        r.waiting++;
                    }
                    case IDLE -> s.round = r;
                    case ENDED -> { }
                }
            }
        }
        scheduleIfReady(r);
    }

    private void scheduleIfReady(RestartRound r) {
        if (r.waiting > 0 || r.scheduled || r.cancelled) {
            return;
        }
        r.scheduled = true;
        if (r.delay.isZero()) {
            lock.later(() -> lock.run(() -> fire(r))); // after the ends queued before it
        } else {
            runtime.scheduleAfter(() -> lock.run(() -> fire(r)), r.delay);
        }
    }

    private void fire(RestartRound r) {
        pending.remove(r);
        if (groupRound == r) {
            groupRound = null;
        }
        if (r.cancelled || state != AgentState.RUNNING || !runtime.isRunning()) {
            return;
        }
        for (Slot s : slots) {
            if (s.round == r) {
                Throwable cause = s.cause;
                s.round = null;
                s.cause = null;
                s.current.restart(cause);
            }
        }
    }

    private void cancelRounds() {
        for (RestartRound r : pending) {
            r.cancelled = true;
        }
        pending.clear();
        groupRound = null;
        for (Slot s : slots) {
            s.round = null;
            s.cause = null;
        }
    }

    /** A child failed beyond its limit: this node fails too, to its parent or, as a root, to the runtime. */
    private void escalate(AgentFailedException cause) {
        if (parentNode == null) {
            runtime.counters().escalatedToRuntime();
            LOG.error("supervisor {} failed and has no supervisor of its own; its agents are stopped", name, cause);
            stopAll(cause);
            return;
        }
        escalating = cause;
        if (!halting) {
            haltChildren();
        }
        quietIfDone();
    }

    private void haltChildren() {
        halting = true;
        state = AgentState.RESTARTING;
        cancelRounds();
        haltWaiting = 0;
        for (Slot s : slots) {
            s.awaited = false;
            if (!s.current.isEnding() && s.current.halt() == Halt.WAIT) {
                s.awaited = true;
                haltWaiting++;
            }
        }
    }

    private void quietIfDone() {
        if (!halting || haltWaiting > 0) {
            return;
        }
        Throwable cause = escalating;
        if (cause != null) {
            escalating = null;
            parentNode.down(this, cause);
        } else if (parentNode != null) {
            parentNode.halted(this);
        }
    }

    private void respawn(Slot s) {
        if (s.spec.supervision().policy() == RestartPolicy.NEVER || !runtime.isRunning()) {
            return;
        }
        try {
            spawn(s);
        } catch (RuntimeException e) {
            LOG.error("supervisor {} could not start child {} again", name, s.spec.name(), e);
        }
    }

    private void stopAll(Throwable cause) {
        state = AgentState.STOPPING;
        endCause = cause;
        cancelRounds();
        halting = false;
        for (Slot s : slots.reversed()) {
            s.respawnWhenEnded = false;
            if (!s.current.isEnding()) {
                lock.later(s.current::shutdown);
            }
        }
        finishIfAllEnded();
    }

    private void finishIfAllEnded() {
        for (Slot s : slots) {
            if (!s.ended || s.respawnWhenEnded || s.round != null) {
                return;
            }
        }
        finish(state == AgentState.STOPPING ? endCause : null);
    }

    private void finish(Throwable cause) {
        if (state.isTerminal()) {
            return;
        }
        state = cause == null ? AgentState.STOPPED : AgentState.FAILED;
        if (parentNode != null) {
            parentNode.ended(this, cause);
        }
        lock.later(() -> {
            if (cause == null) {
                completion.complete(null);
            } else {
                completion.completeExceptionally(cause instanceof AgentFailedException f ? f
                        : new AgentFailedException("supervisor " + name + " failed: " + cause, cause));
            }
        });
    }

    // ---- Supervised: our parent drives us ----

    @Override
    public Supervision supervision() {
        return supervision;
    }

    @Override
    public Halt halt() {
        if (state.isEnding()) {
            return Halt.ENDED;
        }
        if (!halting) {
            haltChildren();
        }
        return haltWaiting == 0 && escalating == null ? Halt.IDLE : Halt.WAIT;
    }

    @Override
    public void restart(Throwable cause) {
        if (state != AgentState.RESTARTING || !halting || haltWaiting > 0) {
            return;
        }
        halting = false;
        state = AgentState.RUNNING;
        restarts++;
        for (Slot s : slots) {
            s.restarts.reset(); // a fresh supervisor: its children's restart windows start over
            if (!s.current.isEnding()) {
                s.current.restart(null);
            } else if (s.ended) {
                respawn(s);
            } else {
                s.respawnWhenEnded = true;
            }
        }
    }

    @Override
    public void terminate(Throwable cause) {
        if (state == AgentState.RESTARTING && halting) {
            stopAll(cause);
        }
    }

    @Override
    public void shutdown() {
        lock.run(() -> {
            if (!state.isEnding()) {
                stopAll(null);
            }
        });
    }

    @Override
    public boolean isEnding() {
        return state.isEnding();
    }

    // ---- Supervisor: the public view ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public AgentState state() {
        return state;
    }

    @Override
    public SupervisionStrategy strategy() {
        return spec.strategy();
    }

    @Override
    public List<String> children() {
        return spec.children().stream().map(SupervisorSpec.Child::name).toList();
    }

    @Override
    @SuppressWarnings("unchecked") // the caller names the message type it expects, as with lookup
    public <M extends Sendable> Optional<AgentHandle<M>> agent(String childName) {
        return currentOf(childName) instanceof AgentHandle<?> h && !h.state().isTerminal()
                ? Optional.of((AgentHandle<M>) h) : Optional.empty();
    }

    @Override
    public Optional<Supervisor> supervisor(String childName) {
        return currentOf(childName) instanceof SupervisorNode n ? Optional.of(n) : Optional.empty();
    }

    private Supervised currentOf(String childName) {
        for (Slot s : slots) {
            if (s.spec.name().equals(childName)) {
                return s.current;
            }
        }
        return null;
    }

    @Override
    public int restarts() {
        return restarts;
    }

    @Override
    public void stop() {
        AgentState s = state;
        if (s.isEnding()) {
            throw new IllegalStateException("cannot stop supervisor " + name + ": it is already " + s);
        }
        shutdown(); // on a carrier thread, this happens a moment later: see TreeLock
    }

    @Override
    public CompletableFuture<Void> completion() {
        return completion.copy();
    }

    @Override
    public void join(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            completion.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw (AgentFailedException) e.getCause();
        } catch (TimeoutException e) {
            throw new TimeoutException("supervisor " + name + " did not end within " + timeout + "; it is " + state);
        }
    }

    @Override
    public String toString() {
        return "Supervisor[" + name + ", " + spec.strategy() + ", " + state + "]";
    }
}
