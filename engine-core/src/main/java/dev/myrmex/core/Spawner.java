package dev.myrmex.core;

import dev.myrmex.core.host.HostedAgent;
import dev.myrmex.core.internal.AgentCell;
import dev.myrmex.core.internal.FactoryChild;
import dev.myrmex.core.internal.HandlerAgentCell;
import dev.myrmex.core.internal.HandlerBehavior;
import dev.myrmex.core.internal.HealthMonitor;
import dev.myrmex.core.internal.HostedEndpoint;
import dev.myrmex.core.internal.Incarnations;
import dev.myrmex.core.internal.Mailbox;
import dev.myrmex.core.internal.Pacing;
import dev.myrmex.core.internal.RandomStreams;
import dev.myrmex.core.internal.Recoverables;
import dev.myrmex.core.internal.RuntimeCounters;
import dev.myrmex.core.internal.RuntimeEvents;
import dev.myrmex.core.internal.SetupBehavior;
import dev.myrmex.core.internal.Supervised;
import dev.myrmex.core.internal.SupervisionParent;
import dev.myrmex.core.internal.ThreadAgentCell;
import dev.myrmex.core.internal.events.AgentSpawnEvent;
import dev.myrmex.core.internal.supervision.SupervisorNode;
import dev.myrmex.core.internal.supervision.TreeRuntime;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.mailbox.MailboxSettings;
import dev.myrmex.core.recovery.AgentFactory;
import dev.myrmex.core.scheduling.AgentSchedule;
import dev.myrmex.core.scheduling.ScheduledAgent;
import dev.myrmex.core.scheduling.SchedulingPolicy;
import dev.myrmex.core.supervision.RestartPolicy;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.core.supervision.SupervisionStrategy;
import dev.myrmex.core.supervision.Supervisor;
import dev.myrmex.core.supervision.SupervisorSpec;
import dev.myrmex.core.time.RuntimeClock;
import dev.myrmex.sched.LaneGroup;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Spawns the runtime's agents and keeps the live ones by name: the one way in for {@link AgentRuntime#spawn},
 * {@link AgentRuntime#supervise}, recovery and supervision trees (this is the {@link TreeRuntime} the trees see).
 *
 * <p>Thread-safe: spawns and ends may come from any thread at once, carriers included. The name table and the count
 * of live agents are concurrent; an agent takes its name by {@code putIfAbsent} before it starts and gives it up as
 * it ends ({@link #ended}), so a name is held by at most one live agent. Nothing here waits or takes a lock.
 */
final class Spawner implements TreeRuntime {
    private static final int SPAWN_SAMPLE_EVERY = 16;

    private final AgentRuntime rt;
    private final int maxAgents;
    private final MailboxSettings defaultMailbox;
    private final SchedulingPolicy defaultPolicy;
    private final Duration healthInterval;
    // The runtime's parts a spawn uses, read once here: the spawn path reads final fields of its own.
    private final DeadLetters deadLetters;
    private final RuntimeEvents events;
    private final RuntimeCounters counters;
    private final RuntimeClock clock;
    private final Executor carriers;
    private final AgentCell.Wiring plainWiring;
    private final ConcurrentHashMap<String, AgentCell<?>> byName = new ConcurrentHashMap<>();
    private final AtomicInteger live = new AtomicInteger();
    private final Consumer<AgentCell<?>> onEnd = this::ended;
    /** Starts a virtual thread per turn of a blocking-friendly handler agent. */
    private final Executor turnThreads;
    /** Makes direct-style agents' threads on the scheduler: one factory for all (thread-safe, unlike a builder). */
    private final ThreadFactory agentThreads;
    /** One run queue per scheduling policy instance in use, made at its first agent's spawn. */
    private final ConcurrentHashMap<SchedulingPolicy, LaneGroup> policyQueues = new ConcurrentHashMap<>();
    /** Made at the first spawn with health checks (maybe on a carrier: so a compare-and-set, not a lock). */
    private final AtomicReference<HealthMonitor> health = new AtomicReference<>();

    Spawner(AgentRuntime rt, int maxAgents, MailboxSettings defaultMailbox, SchedulingPolicy defaultPolicy,
            Duration healthInterval) {
        this.rt = rt;
        this.deadLetters = rt.deadLetters();
        this.events = rt.events();
        this.counters = rt.counters();
        this.clock = rt.clock();
        this.carriers = rt.scheduler().carrierExecutor();
        this.maxAgents = maxAgents;
        this.defaultMailbox = defaultMailbox;
        this.defaultPolicy = defaultPolicy;
        this.healthInterval = healthInterval;
        this.plainWiring = AgentCell.Wiring.plain(counters);
        this.turnThreads = threadPerTask(rt.scheduler().threadBuilder());
        this.agentThreads = rt.scheduler().threadBuilder().factory();
    }

    /** {@link AgentRuntime#spawn(String, Behavior, SpawnOptions)}: alone, or under a supervisor of its own. */
    @SuppressWarnings("unchecked") // the solo supervisor's only child is the agent spawned from this behavior
    <M extends Sendable> AgentHandle<M> spawn(String name, Behavior<M> behavior, SpawnOptions options) {
        Objects.requireNonNull(behavior, "behavior");
        Objects.requireNonNull(options, "options");
        if (options.supervision().policy() == RestartPolicy.NEVER) {
            return spawnCell(name, behavior, options, null);
        }
        rt.ensureRunning("spawn");
        SupervisorNode solo = new SupervisorNode(this, name, SupervisorSpec.builder(SupervisionStrategy.ONE_FOR_ONE)
                .agent(name, behavior, options).build(), Supervision.NONE, null);
        solo.start();
        return (AgentHandle<M>) solo.firstChild();
    }

    /** {@link AgentRuntime#supervise}. */
    Supervisor supervise(String name, SupervisorSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a supervisor needs a non-blank name");
        }
        rt.ensureRunning("supervise");
        SupervisorNode root = new SupervisorNode(this, name, spec, Supervision.NONE, null);
        root.start();
        return root;
    }

    /** {@link AgentRuntime#spawn(String, AgentFactory)}. */
    <M extends Sendable> AgentHandle<M> spawn(String name, AgentFactory<M, ?> factory) {
        Objects.requireNonNull(factory, "factory");
        rt.recoverables().nameOf(factory); // registered, or a clear refusal before anything starts
        return spawnRecoverable(name, factory, true);
    }

    /** {@link AgentRuntime#spawn(String, String)}. */
    @SuppressWarnings("unchecked") // a registered factory makes agents of some message type: the caller sends none
    AgentHandle<?> spawn(String name, String factoryName) {
        Objects.requireNonNull(factoryName, "factoryName");
        return spawnRecoverable(name, (AgentFactory<Sendable, Object>) rt.recoverables().factory(factoryName), true);
    }

    /** Recovery brings an agent back: from the checkpoint {@link Recoverables} now holds as its last. */
    @SuppressWarnings("unchecked")
    void respawn(String name, AgentFactory<?, ?> factory) {
        spawnRecoverable(name, (AgentFactory<Sendable, Object>) factory, false);
    }

    /**
     * A recoverable agent on its own: {@code fresh} (a new agent) or recovered (from its last checkpoint). Under a
     * supervision of its own it gets a one-for-one supervisor of one child, as {@link #spawn(String, Behavior,
     * SpawnOptions)} does, which spawns it through {@link #spawnChild}.
     */
    @SuppressWarnings("unchecked") // the solo supervisor's only child is the agent its factory makes
    private <M extends Sendable> AgentHandle<M> spawnRecoverable(String name, AgentFactory<M, ?> factory,
                                                                boolean fresh) {
        if (fresh && !byName.containsKey(name)) {
            rt.recoverables().forget(name); // a new agent under an old name starts afresh, also when it restarts
        }
        SpawnOptions options = factory.options();
        if (options.supervision().policy() == RestartPolicy.NEVER) {
            return spawnFromFactory(name, factory, options, null);
        }
        rt.ensureRunning("spawn");
        SupervisorNode solo = new SupervisorNode(this, name, SupervisorSpec.builder(SupervisionStrategy.ONE_FOR_ONE)
                .recoverable(name, factory, options.supervision()).build(), Supervision.NONE, null);
        solo.start();
        return (AgentHandle<M>) solo.firstChild();
    }

    /** A supervisor starts (or starts again) one of its agent children. */
    @SuppressWarnings("unchecked") // a FactoryChild's factory makes the agent's messages, whatever they are
    @Override
    public Supervised spawnChild(SupervisorSpec.AgentChild a, SupervisionParent parent) {
        if (a.behavior() instanceof FactoryChild<?> fc) {
            return spawnFromFactory(a.name(), (AgentFactory<Sendable, Object>) fc.factory(), a.options(), parent);
        }
        return spawnCell(a.name(), a.behavior(), a.options(), parent);
    }

    /**
     * Spawns a recoverable agent from its last checkpoint (the one recovery found, or the one it took before it ended),
     * or afresh if it has none; every restart of it starts from its last checkpoint too ({@code Incarnations}).
     */
    private <M extends Sendable, S> AgentCell<M> spawnFromFactory(String name, AgentFactory<M, S> factory,
                                                                 SpawnOptions options, SupervisionParent parent) {
        String factoryName = rt.recoverables().nameOf(factory);
        Incarnations<M, S> incarnations = new Incarnations<>(name, factoryName, factory,
                rt.recoverables().lastState(name, factoryName, factory.codec()), rt.recoverables());
        AgentCell<M> cell = spawnCell(name, new SetupBehavior<>(incarnations::next), options, parent);
        rt.recoverables().track(cell, factoryName, factory.codec(), incarnations);
        return cell;
    }

    /** Spawns one agent cell, supervised by {@code parent} or (null) not at all. */
    <M extends Sendable> AgentCell<M> spawnCell(String name, Behavior<M> given, SpawnOptions options,
                                                 SupervisionParent parent) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an agent needs a non-blank name");
        }
        rt.ensureRunning("spawn");
        AgentSpawnEvent event = new AgentSpawnEvent();
        if (event.isEnabled()) {
            event.begin(); // a clock read only when JFR records spawns
        }
        // Two clock reads would cost as much as the spawn itself on some machines: time one spawn in 16 (by count,
        // not by chance: no draw on the runtime's streams for a metric).
        long sampleStart = (rt.lastId() & (SPAWN_SAMPLE_EVERY - 1)) == 0 ? clock.nanoTime() : 0;
        MailboxSettings settings = options.mailbox() != null ? options.mailbox() : defaultMailbox;
        Mailbox<M> mailbox = new Mailbox<>(settings, deadLetters, events);
        HostedAgent<M> hosted = options.host() == null ? null : options.host().place(rt, name, given, settings);
        // Out of process, every incarnation here runs the host's watcher; the given behavior runs over there.
        Behavior<M> behavior = hosted == null ? given : hosted.watcher();
        AgentCell.Wiring wiring = parent == null && options.hooks() == LifecycleHooks.NONE && hosted == null
                ? plainWiring
                : new AgentCell.Wiring(options.supervision(), parent, options.hooks(), counters, hosted);
        Behavior<M> first = SetupBehavior.make(behavior);
        Pacing pacing = pacing(name, options);
        AgentCell<M> cell;
        if (first instanceof HandlerBehavior<M> handler) {
            Executor turns = handler.nonBlocking()
                    ? (pacing == null ? carriers : pacing.executor())
                    : pacing == null ? turnThreads : threadPerTask(pacing.threadBuilder());
            cell = new HandlerAgentCell<>(rt, name, mailbox, behavior, handler, onEnd, wiring, turns, pacing);
        } else {
            cell = new ThreadAgentCell<>(rt, name, mailbox, behavior, first, onEnd, wiring,
                    pacing == null ? agentThreads : pacing.threadBuilder().factory(), pacing);
        }
        if (live.incrementAndGet() > maxAgents) {
            live.decrementAndGet();
            release(hosted);
            throw limitReached(name);
        }
        if (byName.putIfAbsent(name, cell) != null) {
            live.decrementAndGet();
            release(hosted);
            throw nameTaken(name);
        }
        try {
            AgentRef<M> ref = new AgentRef<>(rt.nextId(), name,
                    hosted == null ? cell : new HostedEndpoint<>(hosted), rt);
            cell.bind(ref);
            mailbox.bindOwner(ref);
            if (!options.health().isEmpty()) {
                healthMonitor().watch(cell, options.health());
            }
            if (events.enabled(EventType.AGENT_SPAWNED)) { // the details are made only for an event that is kept
                recordSpawned(name, first, options, hosted, pacing);
            }
            cell.start();
            events.record(EventType.AGENT_STARTED, name, "");
            if (sampleStart != 0) {
                counters.spawnLatency().record(clock.nanoTime() - sampleStart);
            }
            if (event.isEnabled()) {
                commit(event, name, ref, first);
            }
            return cell;
        } catch (RuntimeException | Error e) {
            ended(cell); // the thread never ran, so it cannot end itself: free the name and the slot here
            release(hosted);
            throw e;
        }
    }

    // The cold parts of a spawn, out of its hot path (a smaller spawnCell leaves the JIT room to inline the rest).

    private void recordSpawned(String name, Behavior<?> first, SpawnOptions options, HostedAgent<?> hosted,
                               Pacing pacing) {
        String style = HandlerBehavior.styleOf(first).description();
        String where = hosted == null ? "" : ", out of process: " + options.host().description();
        events.record(EventType.AGENT_SPAWNED, name, (pacing == null ? style : style + ", policy "
                + (options.scheduling() != null ? options.scheduling() : defaultPolicy).name()) + where);
    }

    private static void commit(AgentSpawnEvent event, String name, AgentRef<?> ref, Behavior<?> first) {
        event.end();
        event.agent = name;
        event.agentId = ref.id();
        event.style = HandlerBehavior.styleOf(first).name();
        event.commit();
    }

    private AgentLimitException limitReached(String name) {
        return new AgentLimitException("cannot spawn " + name + ": the runtime already holds maxAgents = " + maxAgents
                + " agents");
    }

    private static AgentNameTakenException nameTaken(String name) {
        return new AgentNameTakenException("an agent named '" + name + "' already runs in this runtime");
    }

    /** Frees what a host set up for an agent that was refused before it started. */
    private static void release(HostedAgent<?> hosted) {
        if (hosted != null) {
            hosted.ended();
        }
    }

    /** The agent's tie to its scheduling policy, or null under {@link SchedulingPolicy#DIRECT}. */
    private Pacing pacing(String name, SpawnOptions options) {
        SchedulingPolicy policy = options.scheduling() != null ? options.scheduling() : defaultPolicy;
        if (policy == SchedulingPolicy.DIRECT) {
            return null;
        }
        AgentSchedule schedule = policy.schedule(new ScheduledAgent(name, options.priority()), clock);
        if (schedule == null) {
            throw new IllegalStateException("scheduling policy " + policy.name() + " made no schedule for agent "
                    + name);
        }
        LaneGroup queue = policyQueues.computeIfAbsent(policy,
                p -> rt.scheduler().newLaneGroup("policy-" + p.name(), rt.scheduler().workers()));
        return new Pacing(name, schedule, queue, rt.timeouts());
    }

    private static Executor threadPerTask(Thread.Builder.OfVirtual builder) {
        ThreadFactory factory = builder.name("myrmex-turn").factory();
        return task -> factory.newThread(task).start();
    }

    private void ended(AgentCell<?> cell) {
        if (rt.recoverables().any()) {
            rt.recoverables().ended(cell); // unless the runtime's stop ended it, it is retired
        }
        byName.remove(cell.name(), cell);
        live.decrementAndGet();
        HealthMonitor h = health.get();
        if (h != null) {
            h.unwatch(cell);
        }
    }

    private HealthMonitor healthMonitor() {
        HealthMonitor h = health.get();
        if (h != null) {
            return h;
        }
        HealthMonitor fresh = new HealthMonitor(clock, healthInterval, counters);
        if (!health.compareAndSet(null, fresh)) {
            return health.get(); // another spawn made it first; ours never started
        }
        fresh.start();
        if (rt.isStopped()) {
            fresh.close(); // the stop may have looked before we set it: it must not outlive the runtime
        }
        return fresh;
    }

    /** The running agent of that name, or null. */
    AgentCell<?> named(String name) {
        return byName.get(name);
    }

    /** Agents alive now. */
    int liveCount() {
        return live.get();
    }

    /** The agents alive now: a weakly consistent view, in no particular order. */
    Collection<AgentCell<?>> cells() {
        return byName.values();
    }

    /** The health monitor, once the first spawn with health checks made it; null before. */
    HealthMonitor healthMonitorIfAny() {
        return health.get();
    }

    // ---- TreeRuntime: what supervision trees ask of the runtime ----

    @Override
    public boolean isRunning() {
        return rt.isRunning();
    }

    @Override
    public RuntimeClock clock() {
        return clock;
    }

    @Override
    public RandomGenerator restartJitter() {
        return rt.random(RandomStreams.Consumer.RESTART_BACKOFF);
    }

    @Override
    public void scheduleAfter(Runnable task, Duration delay) {
        rt.scheduleAfter(task, delay);
    }

    @Override
    public RuntimeCounters counters() {
        return counters;
    }

    @Override
    public Thread.Builder.OfVirtual threadBuilder() {
        return rt.scheduler().threadBuilder();
    }
}
