package dev.myrmex.core.internal;

import dev.myrmex.core.Behavior;
import dev.myrmex.core.codec.ValueCodec;
import dev.myrmex.core.journal.Checkpoint;
import dev.myrmex.core.journal.EventJournal;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import dev.myrmex.core.journal.TaskSubmission;
import dev.myrmex.core.recovery.AgentFactory;
import dev.myrmex.core.recovery.Checkpointable;
import dev.myrmex.core.recovery.RecoveryReport;
import dev.myrmex.core.task.TaskHistory;
import dev.myrmex.core.time.RuntimeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runtime's recoverable agents: the factories registered by name, the live agents made by them, their checkpoints
 * (taken by the agents themselves between messages, see {@link AgentCell#runBetweenMessages}), and recovery.
 *
 * <h2>What the journal must hold, and how it gets there</h2>
 * An agent is brought back from its last {@link Checkpoint} unless an {@link EventType#AGENT_RETIRED} event for it
 * came after. Both are published with {@link JournalWriter#publishReliably} (never dropped for a full ring) and
 * whatever the journal's severity. A checkpoint is taken as the agent starts (so every recoverable agent has one),
 * every interval, on {@code checkpointNow}, and on a graceful stop (requested before the stop, so it runs after the
 * agent's last message). An agent is retired when it ends while its runtime runs; agents ended by the runtime's stop
 * are not, so they come back (the runtime marks the agents it stops before it stops them; see
 * {@link #runtimeStopping}).
 *
 * <h2>Restarts and supervision trees</h2>
 * The last checkpoint of every recoverable agent is also kept in memory, by name ({@link #lastState}): a restart of
 * the agent (by its own supervision, or by the supervisor of the tree it is in) makes a fresh behavior from it, as
 * a recovery would ({@link Incarnations}). At start, the checkpoints of agents that belong to a tree declared with the
 * runtime's builder are {@linkplain #recover claimed} for that tree: they are not spawned on their own, and the tree,
 * started next, spawns them from those checkpoints. The in-memory checkpoints are kept for the runtime's life (one per
 * recoverable agent name): a supervisor may start an ended agent again at any time.
 *
 * <p>Threads: {@link #track} and {@link #ended} from any thread; chores on the agents' threads; the interval pass on
 * the runtime's timer thread; {@link #recover} once, at start, before anything else is spawned.
 */
public final class Recoverables {
    private static final Logger LOG = LoggerFactory.getLogger(Recoverables.class);

    /**
     * What the runtime does to spawn a recovered agent with factory {@code f}: the agent's first incarnation starts
     * from {@link #lastState}, its checkpoint, which {@link #recover} has already found readable.
     */
    @FunctionalInterface
    public interface Spawner {
        void spawn(String agent, AgentFactory<?, ?> f) throws Exception;
    }

    private record Tracked(String factory, ValueCodec<Object> codec, Checkpointable<Object> source,
                           AtomicBoolean stoppedByRuntime) {
    }

    /** Each recoverable agent's last checkpoint, by name, for restarts: see the class comment. */
    private final ConcurrentHashMap<String, Checkpoint> lastByName = new ConcurrentHashMap<>();

    /** How often {@link #checkpointAll} looks again at an agent whose earlier checkpoint is still pending. */
    private static final long PENDING_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private final Map<String, AgentFactory<?, ?>> factories;
    private final IdentityHashMap<AgentFactory<?, ?>, String> names = new IdentityHashMap<>();
    private final ConcurrentHashMap<AgentCell<?>, Tracked> live = new ConcurrentHashMap<>();
    private final RuntimeEvents events;
    private final LongAdder taken = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile JournalWriter writer;

    /** @param factories by name, as registered with the builder (copied) */
    public Recoverables(Map<String, AgentFactory<?, ?>> factories, RuntimeEvents events) {
        this.factories = Map.copyOf(factories);
        this.factories.forEach((name, f) -> names.put(f, name));
        this.events = events;
    }

    /** Whether any factory is registered: without one there is nothing to track. */
    public boolean any() {
        return !factories.isEmpty();
    }

    /** Checkpoints and retirements go to {@code w} from now on (null: nowhere). */
    public void writeTo(JournalWriter w) {
        this.writer = w;
    }

    /** The registered factories' names (unmodifiable: the factories are a copy made at construction). */
    public java.util.Set<String> factoryNames() {
        return factories.keySet();
    }

    /**
     * The factory registered under {@code name}.
     *
     * @throws IllegalArgumentException naming the registered ones, if there is none
     */
    public AgentFactory<?, ?> factory(String name) {
        AgentFactory<?, ?> f = factories.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no agent factory is registered under '" + name + "' (registered: "
                    + new java.util.TreeSet<>(factories.keySet()) + ")");
        }
        return f;
    }

    /**
     * The name {@code f} is registered under.
     *
     * @throws IllegalArgumentException if it is not registered
     */
    public String nameOf(AgentFactory<?, ?> f) {
        String name = names.get(f);
        if (name == null) {
            throw new IllegalArgumentException("this agent factory is not registered: register it with "
                    + "AgentRuntime.Builder.factory(name, factory), so that a recovering runtime can bring its agents "
                    + "back (registered: " + factories.keySet() + ")");
        }
        return name;
    }

    /**
     * What to checkpoint in {@code behavior}: itself, or the handler of a handler-style behavior.
     *
     * @throws IllegalArgumentException if neither is {@link Checkpointable}
     */
    public static Checkpointable<?> source(Behavior<?> behavior, String agent, String factory) {
        Object code = HandlerBehavior.codeOf(behavior);
        if (code instanceof Checkpointable<?> c) {
            return c;
        }
        throw new IllegalArgumentException("factory '" + factory + "' made a behavior for agent " + agent + " that "
                + "cannot be checkpointed: the behavior, or the handler given to Behaviors.receive/nonBlocking, must "
                + "implement Checkpointable (a Behaviors.setup behavior cannot be)");
    }

    /** Tracks a newly spawned agent of factory {@code factory} and asks for its first checkpoint. */
    @SuppressWarnings("unchecked")
    public void track(AgentCell<?> cell, String factory, ValueCodec<?> codec, Checkpointable<?> source) {
        Tracked t = new Tracked(factory, (ValueCodec<Object>) codec, (Checkpointable<Object>) source,
                new AtomicBoolean());
        live.put(cell, t);
        if (cell.state().isTerminal()) { // it ended before we tracked it: its end found nothing to untrack
            live.remove(cell);
            return;
        }
        request(cell, t, null);
    }

    /**
     * The runtime is stopping: the agents still live are being stopped by it, not retired. One that has already ended
     * (its end may not have been reported yet) ended on its own and is retired.
     */
    public void runtimeStopping() {
        live.forEach((cell, t) -> {
            if (!cell.state().isTerminal()) {
                t.stoppedByRuntime().set(true);
            }
        });
    }

    /** {@code cell} ended: unless its runtime's stop ended it, it is retired. */
    public void ended(AgentCell<?> cell) {
        Tracked t = live.remove(cell);
        if (t != null && !t.stoppedByRuntime().get()) {
            JournalWriter w = writer;
            if (w != null) {
                w.publishReliably(JournalEvent.of(w.now(), EventType.AGENT_RETIRED, cell.name(),
                        "ended " + cell.state() + " while its runtime ran: not to be recovered"));
            }
        }
    }

    /**
     * The state agent {@code agent}'s next incarnation starts from: its last checkpoint, decoded, or null if it has
     * none (or the checkpoint is another factory's: a new agent that took an old name starts afresh).
     *
     * @throws IllegalStateException if the checkpoint cannot be decoded (the incarnation then fails to start)
     */
    public <S> S lastState(String agent, String factory, ValueCodec<S> codec) {
        Checkpoint c = lastByName.get(agent);
        if (c == null || !c.factory().equals(factory) || !c.codec().equals(codec.id())) {
            return null;
        }
        try {
            return codec.decode(c.state());
        } catch (Exception e) {
            throw new IllegalStateException("codec '" + c.codec() + "' could not decode the last checkpoint of agent "
                    + agent + " (" + c.state().length + " bytes, " + c.time() + "): " + e, e);
        }
    }

    /** A new agent takes the name {@code agent}: it starts afresh, not from what an earlier one left. */
    public void forget(String agent) {
        lastByName.remove(agent);
    }

    /**
     * Asks every live recoverable agent for a checkpoint, without waiting: the interval's pass, and a graceful stop.
     */
    public void requestAll() {
        live.forEach((cell, t) -> request(cell, t, null));
    }

    /**
     * Asks every live recoverable agent for a checkpoint and waits up to {@code timeout} for them all to be taken (or
     * their agents to end). Returns false on timeout.
     */
    public boolean checkpointAll(Duration timeout) throws InterruptedException {
        long deadline = RuntimeClock.system().nanoTime() + timeout.toNanos();
        List<Map.Entry<AgentCell<?>, Tracked>> all = new ArrayList<>(live.entrySet());
        CountDownLatch done = new CountDownLatch(all.size());
        for (Map.Entry<AgentCell<?>, Tracked> e : all) {
            // A checkpoint already asked for (a spawn's first, the interval's) is not ours to wait on: it may never
            // have been taken when this returns. Wait for its slot and ask for our own.
            while (!request(e.getKey(), e.getValue(), done)) {
                if (e.getKey().state().isTerminal()) {
                    done.countDown(); // it ended: nothing to take
                    break;
                }
                if (RuntimeClock.system().nanoTime() - deadline > 0) {
                    return false;
                }
                LockSupport.parkNanos(PENDING_POLL_NANOS);
            }
        }
        return done.await(Math.max(0, deadline - RuntimeClock.system().nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Checkpoints written since start, and checkpoints that failed (the state or its encoding threw). */
    public long taken() {
        return taken.sum();
    }

    public long failed() {
        return failed.sum();
    }

    private boolean request(AgentCell<?> cell, Tracked t, CountDownLatch done) {
        return cell.runBetweenMessages(new AgentCell.AgentChore() {
            @Override
            public void run() {
                try {
                    take(cell, t);
                } finally {
                    if (done != null) {
                        done.countDown();
                    }
                }
            }

            @Override
            public void dropped() {
                if (done != null) {
                    done.countDown();
                }
            }
        });
    }

    /** On the agent's own thread, between messages. */
    private void take(AgentCell<?> cell, Tracked t) {
        byte[] state;
        try {
            state = t.codec().encode(t.source().checkpoint());
        } catch (Throwable e) {
            failed.increment();
            LOG.error("checkpoint of agent {} (factory {}) failed; the previous one stands", cell.name(), t.factory(),
                    e);
            return;
        }
        Checkpoint c = new Checkpoint(events.clock().instant(), cell.name(), t.factory(), t.codec().id(), state);
        lastByName.put(cell.name(), c); // a restart resumes from here, journal or not
        JournalWriter w = writer;
        if (w != null && w.publishReliably(c)) {
            taken.increment();
            events.record(EventType.CHECKPOINT_WRITTEN, cell.name(), state.length + " bytes, codec " + t.codec().id());
        }
    }

    /**
     * What the journal says was running: read before the runtime writes anything new to it. {@code leaseTokens} is the
     * highest lease-token mark reserved in it ({@link FencingTokens}), 0 if none.
     */
    public record History(Map<String, Checkpoint> running, TaskHistory tasks, long records, long damaged,
                          long readNanos, long leaseTokens) {
    }

    /**
     * Reads {@code journal}: the tasks, the lease tokens reserved, and (if {@code agents}) each agent's last
     * checkpoint, unless it was retired after it.
     *
     * @throws dev.myrmex.core.journal.JournalException if a lease-token reservation cannot be read
     */
    public static History read(EventJournal journal, boolean agents, RuntimeClock clock) {
        long started = clock.nanoTime();
        Map<String, Checkpoint> last = new LinkedHashMap<>(); // in the order agents were last checkpointed
        TaskHistory tasks = new TaskHistory();
        long[] records = {0};
        long[] leaseTokens = {0};
        journal.replay(r -> {
            records[0]++;
            if (r instanceof Checkpoint c && agents) {
                last.remove(c.agent());
                last.put(c.agent(), c);
            } else if (r instanceof TaskSubmission s) {
                tasks.accept(s);
            } else if (r instanceof JournalEvent e) {
                if (e.type() == EventType.AGENT_RETIRED && e.agent() != null) {
                    last.remove(e.agent());
                } else if (e.type() == EventType.LEASE_TOKENS_RESERVED) {
                    leaseTokens[0] = Math.max(leaseTokens[0], FencingTokens.markOf(e));
                } else {
                    tasks.accept(e); // ignores events about anything but tasks
                }
            }
        });
        return new History(last, tasks, records[0], journal.damagedRecords(), clock.nanoTime() - started,
                leaseTokens[0]);
    }

    /**
     * Brings back, through {@code spawner}, every agent {@code history} says was running, from its last checkpoint.
     * Journals each outcome ({@link EventType#AGENT_RECOVERED}, {@link EventType#AGENT_NOT_RECOVERED}).
     */
    public RecoveryReport recover(History history, RecoveryReport.Tasks tasks, Spawner spawner) {
        return recover(history, tasks, spawner, java.util.Set.of());
    }

    /**
     * {@link #recover(History, RecoveryReport.Tasks, Spawner)}, but the agents named in {@code claimed} (the
     * recoverable children of the trees declared with the runtime's builder) are not spawned: their checkpoints are
     * kept for their trees, which the runtime starts next and which spawn them from there.
     */
    public RecoveryReport recover(History history, RecoveryReport.Tasks tasks, Spawner spawner,
                                  java.util.Set<String> claimed) {
        if (history.records() == 0) {
            return RecoveryReport.NONE;
        }
        long started = events.clock().nanoTime();
        List<RecoveryReport.Recovered> recovered = new ArrayList<>();
        List<RecoveryReport.NotRecovered> lost = new ArrayList<>();
        for (Checkpoint c : history.running().values()) {
            lastByName.put(c.agent(), c); // what the agent, or its tree, starts from
            String why = recoverOne(c, claimed.contains(c.agent()) ? null : spawner);
            if (why == null) {
                recovered.add(new RecoveryReport.Recovered(c.agent(), c.factory(), c));
                events.recordAlways(EventType.AGENT_RECOVERED, c.agent(), "from the checkpoint of " + c.time() + " ("
                        + c.state().length + " bytes, factory " + c.factory() + ")");
            } else {
                lost.add(new RecoveryReport.NotRecovered(c.agent(), c.factory(), why));
                events.recordAlways(EventType.AGENT_NOT_RECOVERED, c.agent(), why);
                LOG.error("agent {} was not recovered: {}", c.agent(), why);
            }
        }
        return new RecoveryReport(recovered, lost, history.records(), history.damaged(),
                Duration.ofNanos(history.readNanos() + events.clock().nanoTime() - started), tasks);
    }

    /** Brings one agent back; null if it came back, else why not. */
    private String recoverOne(Checkpoint c, Spawner spawner) {
        AgentFactory<?, ?> f = factories.get(c.factory());
        if (f == null) {
            return "no factory is registered under '" + c.factory() + "' (registered: " + factories.keySet() + ")";
        }
        if (!f.codec().id().equals(c.codec())) {
            return "its checkpoint was written by codec '" + c.codec() + "' but factory '" + c.factory()
                    + "' reads codec '" + f.codec().id() + "'";
        }
        try {
            // decoded here too, so that a checkpoint nobody can read is reported at start, as not recovered, rather
            // than as the agent's failure; the agent's incarnation decodes its own copy, which it may change
            f.codec().decode(c.state());
        } catch (Exception | Error e) {
            return "codec '" + c.codec() + "' could not decode its " + c.state().length + "-byte checkpoint of "
                    + c.time() + ": " + e;
        }
        if (spawner == null) {
            return null; // claimed by a declared tree, which spawns it from this checkpoint
        }
        try {
            spawner.spawn(c.agent(), f);
            return null;
        } catch (Exception | Error e) {
            return "it could not be spawned again: " + e;
        }
    }
}
