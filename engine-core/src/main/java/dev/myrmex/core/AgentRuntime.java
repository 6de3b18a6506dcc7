package dev.myrmex.core;

import dev.myrmex.core.host.HostedAgent;
import dev.myrmex.core.internal.AgentCell;
import dev.myrmex.core.internal.CoreAccess;
import dev.myrmex.core.internal.FactoryChild;
import dev.myrmex.core.internal.FencingTokens;
import dev.myrmex.core.internal.HandlerAgentCell;
import dev.myrmex.core.internal.HandlerBehavior;
import dev.myrmex.core.internal.HealthMonitor;
import dev.myrmex.core.internal.HostedEndpoint;
import dev.myrmex.core.internal.Incarnations;
import dev.myrmex.core.internal.JournalWriter;
import dev.myrmex.core.internal.Mailbox;
import dev.myrmex.core.internal.MessageStamps;
import dev.myrmex.core.internal.Pacing;
import dev.myrmex.core.internal.PromiseEndpoint;
import dev.myrmex.core.internal.RandomStreams;
import dev.myrmex.core.internal.Recoverables;
import dev.myrmex.core.internal.RuntimeCounters;
import dev.myrmex.core.internal.RuntimeEvents;
import dev.myrmex.core.internal.SetupBehavior;
import dev.myrmex.core.internal.Supervised;
import dev.myrmex.core.internal.SupervisionParent;
import dev.myrmex.core.internal.ThreadAgentCell;
import dev.myrmex.core.internal.TimeoutWheel;
import dev.myrmex.core.internal.events.AgentSpawnEvent;
import dev.myrmex.core.internal.supervision.DeclaredTrees;
import dev.myrmex.core.internal.supervision.SupervisorNode;
import dev.myrmex.core.internal.supervision.TreeRuntime;
import dev.myrmex.core.journal.EventJournal;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.InMemoryJournal;
import dev.myrmex.core.journal.JournalException;
import dev.myrmex.core.journal.Severity;
import dev.myrmex.core.json.Json;
import dev.myrmex.core.metrics.HealthCheck;
import dev.myrmex.core.metrics.HealthReport;
import dev.myrmex.core.metrics.JournalMetrics;
import dev.myrmex.core.metrics.RuntimeMetrics;
import dev.myrmex.core.recovery.AgentFactory;
import dev.myrmex.core.recovery.CheckpointCodec;
import dev.myrmex.core.recovery.Checkpointable;
import dev.myrmex.core.recovery.RecoveryReport;
import dev.myrmex.core.resilience.Backoff;
import dev.myrmex.core.resilience.CircuitBreaker;
import dev.myrmex.core.scheduling.AgentSchedule;
import dev.myrmex.core.scheduling.ScheduledAgent;
import dev.myrmex.core.scheduling.SchedulingPolicy;
import dev.myrmex.core.spi.AgentStyle;
import dev.myrmex.core.spi.Endpoint;
import dev.myrmex.core.supervision.RestartPolicy;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.core.supervision.SupervisionStrategy;
import dev.myrmex.core.supervision.Supervisor;
import dev.myrmex.core.supervision.SupervisorSpec;
import dev.myrmex.core.task.QueueStatus;
import dev.myrmex.core.task.TaskInputs;
import dev.myrmex.core.task.TaskQueue;
import dev.myrmex.sched.LaneGroup;
import dev.myrmex.sched.WorkStealingScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * A Myrmex runtime: it spawns agents (each a virtual thread carried by the work-stealing scheduler), keeps them by
 * name, and stops them.
 *
 * <pre>{@code
 * record Quote(String symbol, long priceMicros) implements Val {}
 *
 * try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {
 *     rt.start();
 *     AgentHandle<Quote> h = rt.spawn("analyzer", ctx -> {
 *         while (true) {
 *             Message<Quote> m = ctx.receive();        // parks only this agent
 *             System.out.println(m.payload());
 *         }
 *     });
 *     h.ref().signal(new Quote("ACME", 12_500_000));
 * }   // close(): graceful stop
 * }</pre>
 *
 * <p>Thread-safe: every method may be called from any thread, agents included.
 */
public final class AgentRuntime implements AutoCloseable {
    private enum Phase { NEW, RUNNING, STOPPED }

    private static final int SPAWN_SAMPLE_EVERY = 16;

    static {
        CoreAccess.install(new CoreBridge());
    }

    private final WorkStealingScheduler scheduler;
    private final boolean ownsScheduler;
    private final int maxAgents;
    private final MailboxSettings defaultMailbox;
    private final Duration closeTimeout;
    private final DeadLetters deadLetters;
    private final RuntimeClock clock;
    private final RandomStreams random;
    private final EventJournal journal;
    private final int journalRingSize;
    private final Duration journalWriterSpin;
    private final RuntimeEvents events;
    private final RuntimeCounters counters;
    private final AgentCell.Wiring plainWiring;
    private volatile JournalWriter journalWriter; // while running
    private final Recoverables recoverables;
    /** The trees declared with {@link Builder#supervisor}, started by {@link #start()} (in declaration order). */
    private final Map<String, SupervisorSpec> trees;
    private final Map<String, Supervisor> startedTrees = new java.util.concurrent.ConcurrentHashMap<>();
    /** The leases' fencing tokens: continued from the journal at start (see FencingTokens). */
    private final FencingTokens fencingTokens = new FencingTokens();
    /** One instance per runtime of each coordination table that asks for it (the lease table): CoreAccess.shared. */
    private final ConcurrentHashMap<Class<?>, Object> shared = new ConcurrentHashMap<>();
    private final Duration checkpointInterval;
    private final TaskQueue tasks;
    private volatile RecoveryReport recovery = RecoveryReport.NONE;
    private final ConcurrentHashMap<String, AgentCell<?>> byName = new ConcurrentHashMap<>();
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    /**
     * Orders start and stop, and only those: a start holds it across the journal's history (I/O, maybe long), so it is
     * a monitor, not a spin lock. No carrier takes it (start and stop wait, which a carrier never may).
     */
    private final Object phaseLock = new Object();
    private final Consumer<AgentCell<?>> onEnd = this::ended;
    /** What this runtime's supervision trees may ask of it. */
    private final TreeRuntime treeRuntime = new Trees();
    /** Starts a virtual thread per turn of a blocking-friendly handler agent. */
    private final Executor turnThreads;
    /** Makes direct-style agents' threads on the scheduler: one factory for all (thread-safe, unlike a builder). */
    private final ThreadFactory agentThreads;
    private volatile Phase phase = Phase.NEW;
    private volatile long startedAt; // the clock's time at start(); 0 before
    private final Duration healthInterval;
    private final SchedulingPolicy defaultPolicy;
    /** One run queue per scheduling policy instance in use, made at its first agent's spawn. */
    private final ConcurrentHashMap<SchedulingPolicy, LaneGroup> policyQueues = new ConcurrentHashMap<>();
    /** Made at the first spawn with health checks (maybe on a carrier: so a compare-and-set, not a lock). */
    private final AtomicReference<HealthMonitor> health = new AtomicReference<>();
    private volatile TimeoutWheel timeouts;

    private AgentRuntime(Builder b) {
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = ownsScheduler
                ? WorkStealingScheduler.builder().workers(b.workers).name("myrmex-agents")
                        .seed(b.random.seedOf(RandomStreams.Consumer.SCHEDULER)).build()
                : b.scheduler;
        this.maxAgents = b.maxAgents;
        this.defaultMailbox = b.mailbox;
        this.closeTimeout = b.closeTimeout;
        this.deadLetters = new DeadLetters(b.deadLetterWindow);
        this.clock = b.clock;
        this.random = b.random;
        this.healthInterval = b.healthInterval;
        this.defaultPolicy = b.policy;
        this.journal = b.journal != null ? b.journal : new InMemoryJournal();
        this.journalRingSize = b.journalRingSize;
        this.journalWriterSpin = b.journalWriterSpin;
        this.events = new RuntimeEvents(b.journalSeverity, clock);
        this.counters = new RuntimeCounters(events, new MessageStamps(clock, clock == RuntimeClock.system(), "myrmex"), clock);
        this.plainWiring = AgentCell.Wiring.plain(counters);
        this.recoverables = new Recoverables(b.factories, events);
        this.trees = new LinkedHashMap<>(b.trees);
        this.checkpointInterval = b.checkpointInterval;
        deadLetters.subscribe(events::deadLetter);
        this.turnThreads = threadPerTask(scheduler.threadBuilder());
        this.agentThreads = scheduler.threadBuilder().factory();
        this.tasks = new TaskQueue(this, b.taskCapacity, b.taskRetention, b.taskRetryBackoff, b.taskInputCodec,
                b.taskInterruptGrace);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the runtime: agents can be spawned from now on. If factories are registered and the journal holds
     * history, first brings back the agents it says were running, each from its last checkpoint ({@link #recovery()}
     * says what came back and what could not).
     *
     * @throws IllegalStateException if it was started before, or has been stopped
     */
    public void start() {
        Recoverables.History history = startPhase();
        // tasks first: a recovered worker agent may take one at once
        RecoveryReport.Tasks requeued = history.tasks().isEmpty() ? RecoveryReport.Tasks.NONE
                : tasks.restore(history.tasks());
        recovery = recoverables.recover(history, requeued, this::respawn, DeclaredTrees.recoverableNames(trees));
        for (Map.Entry<String, SupervisorSpec> t : trees.entrySet()) {
            // its recoverable agents: from checkpoints
            startedTrees.put(t.getKey(), supervise(t.getKey(), t.getValue()));
        }
        if (recoverables.any()) {
            scheduleCheckpoints();
        }
    }

    /**
     * Opens the journal writer and the timers; returns the journal's history: tasks, and agents' checkpoints if
     * there are factories to bring them back with.
     */
    private Recoverables.History startPhase() {
        synchronized (phaseLock) {
            switch (phase) {
                case RUNNING -> throw new IllegalStateException("the runtime is already started");
                case STOPPED -> throw new IllegalStateException("the runtime is stopped: build a new one");
                case NEW -> {
                    // read before this runtime writes to the journal: a start's own events are not history
                    Recoverables.History history = Recoverables.read(journal, recoverables.any(), clock);
                    JournalWriter w = new JournalWriter(journal, journalRingSize, journalWriterSpin, clock);
                    journalWriter = w;
                    events.writeTo(w);
                    recoverables.writeTo(w);
                    fencingTokens.start(history.leaseTokens(), w);
                    events.record(EventType.RUNTIME_STARTED, null, scheduler.workers() + " carriers, policy "
                            + defaultPolicy.name());
                    timeouts = new TimeoutWheel("myrmex-timeouts", clock);
                    counters.stamps().start();
                    startedAt = clock.nanoTime() | 1; // never 0, which means not started
                    phase = Phase.RUNNING;
                    return history;
                }
                default -> throw new AssertionError(phase);
            }
        }
    }

    /** {@link #spawn(String, Behavior, SpawnOptions)} with the default options. */
    public <M extends Sendable> AgentHandle<M> spawn(String name, Behavior<M> behavior) {
        return spawn(name, behavior, SpawnOptions.DEFAULTS);
    }

    /**
     * Starts an agent running {@code behavior}: a direct-style behavior on a virtual thread of its own, a handler
     * from {@link Behaviors} in turns whenever mail arrives. With a {@link Supervision} in the options other than
     * {@link Supervision#NONE}, the agent is restarted by it on its own (a one-for-one supervisor of one child); when
     * it fails beyond its limit it ends FAILED and the runtime logs and counts the escalation.
     *
     * @throws IllegalStateException     if the runtime is not running
     * @throws AgentNameTakenException   if an agent of that name runs already
     * @throws AgentLimitException       if the runtime holds maxAgents agents already
     * @throws IllegalArgumentException  if the name is blank
     */
    @SuppressWarnings("unchecked") // the solo supervisor's only child is the agent spawned from this behavior
    public <M extends Sendable> AgentHandle<M> spawn(String name, Behavior<M> behavior, SpawnOptions options) {
        Objects.requireNonNull(behavior, "behavior");
        Objects.requireNonNull(options, "options");
        if (options.supervision().policy() == RestartPolicy.NEVER) {
            return spawnCell(name, behavior, options, null);
        }
        ensureRunning("spawn");
        SupervisorNode solo = new SupervisorNode(treeRuntime, name, SupervisorSpec.builder(SupervisionStrategy.ONE_FOR_ONE)
                .agent(name, behavior, options).build(), Supervision.NONE, null);
        solo.start();
        return (AgentHandle<M>) solo.firstChild();
    }

    /**
     * Starts a supervision tree: a supervisor that starts the children of {@code spec} in order and restarts them by
     * its strategy. The supervisor's name is its own (it is not an agent); its agents' names are taken in the runtime.
     *
     * @throws IllegalStateException   if the runtime is not running
     * @throws AgentNameTakenException if an agent name of the tree is taken (the children started before are stopped)
     */
    public Supervisor supervise(String name, SupervisorSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a supervisor needs a non-blank name");
        }
        ensureRunning("supervise");
        SupervisorNode root = new SupervisorNode(treeRuntime, name, spec, Supervision.NONE, null);
        root.start();
        return root;
    }

    /**
     * Spawns a recoverable agent, made by {@code factory} (which must be registered with {@link Builder#factory}) with
     * no state, under the factory's options. It is checkpointed as it starts and then as {@link Checkpointable} says;
     * a runtime started later on the same journal brings it back unless it ended while its runtime ran. With a
     * {@link Supervision} in the factory's options it is restarted by it, each restart from its last checkpoint (a
     * fresh behavior made by the factory from that state, as a recovery would). To put recoverable agents in a
     * supervision tree, see {@link SupervisorSpec.Builder#recoverable}.
     *
     * @throws IllegalArgumentException if the factory is not registered, or makes a behavior that is not
     *                                  checkpointable
     * @throws IllegalStateException    if the factory throws
     */
    public <M extends Sendable> AgentHandle<M> spawn(String name, AgentFactory<M, ?> factory) {
        Objects.requireNonNull(factory, "factory");
        recoverables.nameOf(factory); // registered, or a clear refusal before anything starts
        return spawnRecoverable(name, factory, true);
    }

    /**
     * Spawns a recoverable agent from the factory registered under {@code factoryName}: {@link #spawn(String,
     * AgentFactory)} for callers that know factories by name (the management API).
     *
     * @throws IllegalArgumentException naming the registered factories, if none is registered under that name
     */
    @SuppressWarnings("unchecked") // a registered factory makes agents of some message type: the caller sends none
    public AgentHandle<?> spawn(String name, String factoryName) {
        Objects.requireNonNull(factoryName, "factoryName");
        return spawnRecoverable(name, (AgentFactory<Sendable, Object>) recoverables.factory(factoryName), true);
    }

    /** The names of the factories registered with {@link Builder#factory}. */
    public Set<String> factoryNames() {
        return recoverables.factoryNames();
    }

    /** Recovery brings an agent back: from the checkpoint {@link Recoverables} now holds as its last. */
    @SuppressWarnings("unchecked")
    private void respawn(String name, AgentFactory<?, ?> factory) {
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
            recoverables.forget(name); // a new agent under an old name starts afresh, also when it restarts
        }
        SpawnOptions options = factory.options();
        if (options.supervision().policy() == RestartPolicy.NEVER) {
            return spawnFromFactory(name, factory, options, null);
        }
        ensureRunning("spawn");
        SupervisorNode solo = new SupervisorNode(treeRuntime, name, SupervisorSpec.builder(SupervisionStrategy.ONE_FOR_ONE)
                .recoverable(name, factory, options.supervision()).build(), Supervision.NONE, null);
        solo.start();
        return (AgentHandle<M>) solo.firstChild();
    }

    /** A supervisor starts (or starts again) one of its agent children. */
    @SuppressWarnings("unchecked") // a FactoryChild's factory makes the agent's messages, whatever they are
    private Supervised spawnChild(SupervisorSpec.AgentChild a, SupervisionParent parent) {
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
        String factoryName = recoverables.nameOf(factory);
        Incarnations<M, S> incarnations = new Incarnations<>(name, factoryName, factory,
                recoverables.lastState(name, factoryName, factory.codec()), recoverables);
        AgentCell<M> cell = spawnCell(name, new SetupBehavior<>(incarnations::next), options, parent);
        recoverables.track(cell, factoryName, factory.codec(), incarnations);
        return cell;
    }

    /** The interval's checkpoint pass, re-armed until the runtime stops. */
    private void scheduleCheckpoints() {
        if (phase == Phase.RUNNING) {
            scheduleAfter(() -> {
                if (phase == Phase.RUNNING) {
                    recoverables.requestAll();
                    scheduleCheckpoints();
                }
            }, checkpointInterval);
        }
    }

    /**
     * Has every recoverable agent checkpoint itself now (between its messages) and waits until the checkpoints are
     * in the journal, at most {@code timeout}: before a deploy, or in tests. Each checkpoint holds the agent's state at
     * its next gap between two messages, not after the messages still queued for it.
     *
     * @return false if some were not taken, or not journalled, in time
     */
    public boolean checkpointNow(Duration timeout) throws InterruptedException {
        ensureRunning("checkpoint");
        long deadline = RuntimeClock.system().nanoTime() + timeout.toNanos();
        return recoverables.checkpointAll(timeout)
                && flushJournal(Duration.ofNanos(Math.max(0, deadline - RuntimeClock.system().nanoTime())));
    }

    /** The tree declared under {@code name} with {@link Builder#supervisor}, once {@link #start()} has started it. */
    public Optional<Supervisor> supervisor(String name) {
        return Optional.ofNullable(startedTrees.get(name));
    }

    /** What {@link #start()} brought back from the journal; {@link RecoveryReport#NONE} if nothing. */
    public RecoveryReport recovery() {
        return recovery;
    }

    /** Spawns one agent cell, supervised by {@code parent} or (null) not at all. */
    <M extends Sendable> AgentCell<M> spawnCell(String name, Behavior<M> given, SpawnOptions options,
                                                 SupervisionParent parent) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an agent needs a non-blank name");
        }
        ensureRunning("spawn");
        AgentSpawnEvent event = new AgentSpawnEvent();
        if (event.isEnabled()) {
            event.begin(); // a clock read only when JFR records spawns
        }
        // Two clock reads would cost as much as the spawn itself on some machines: time one spawn in 16 (by count,
        // not by chance: no draw on the runtime's streams for a metric).
        long sampleStart = (ids.get() & (SPAWN_SAMPLE_EVERY - 1)) == 0 ? clock.nanoTime() : 0;
        MailboxSettings settings = options.mailbox() != null ? options.mailbox() : defaultMailbox;
        Mailbox<M> mailbox = new Mailbox<>(settings, deadLetters, events);
        HostedAgent<M> hosted = options.host() == null ? null : options.host().place(this, name, given, settings);
        // Out of process, every incarnation here runs the host's watcher; the given behavior runs over there.
        Behavior<M> behavior = hosted == null ? given : hosted.watcher();
        AgentCell.Wiring wiring = parent == null && options.hooks() == LifecycleHooks.NONE && hosted == null
                ? plainWiring : new AgentCell.Wiring(options.supervision(), parent, options.hooks(), counters, hosted);
        Behavior<M> first = SetupBehavior.make(behavior);
        Pacing pacing = pacing(name, options);
        AgentCell<M> cell;
        if (first instanceof HandlerBehavior<M> handler) {
            Executor turns = handler.nonBlocking() ? (pacing == null ? scheduler.carrierExecutor() : pacing.executor())
                    : pacing == null ? turnThreads : threadPerTask(pacing.threadBuilder());
            cell = new HandlerAgentCell<>(this, name, mailbox, behavior, handler, onEnd, wiring, turns, pacing);
        } else {
            cell = new ThreadAgentCell<>(this, name, mailbox, behavior, first, onEnd, wiring,
                    pacing == null ? agentThreads : pacing.threadBuilder().factory(), pacing);
        }
        if (live.incrementAndGet() > maxAgents) {
            live.decrementAndGet();
            release(hosted);
            throw new AgentLimitException("cannot spawn " + name + ": the runtime already holds maxAgents = "
                    + maxAgents + " agents");
        }
        if (byName.putIfAbsent(name, cell) != null) {
            live.decrementAndGet();
            release(hosted);
            throw new AgentNameTakenException("an agent named '" + name + "' already runs in this runtime");
        }
        try {
            AgentRef<M> ref = new AgentRef<>(ids.incrementAndGet(), name,
                    hosted == null ? cell : new HostedEndpoint<>(hosted), this);
            cell.bind(ref);
            mailbox.bindOwner(ref);
            if (!options.health().isEmpty()) {
                healthMonitor().watch(cell, options.health());
            }
            if (events.enabled(EventType.AGENT_SPAWNED)) { // the details are made only for an event that is kept
                String style = HandlerBehavior.styleOf(first).description();
                String where = hosted == null ? "" : ", out of process: " + options.host().description();
                events.record(EventType.AGENT_SPAWNED, name, (pacing == null ? style : style + ", policy "
                        + (options.scheduling() != null ? options.scheduling() : defaultPolicy).name()) + where);
            }
            cell.start();
            events.record(EventType.AGENT_STARTED, name, "");
            if (sampleStart != 0) {
                counters.spawnLatency().record(clock.nanoTime() - sampleStart);
            }
            if (event.isEnabled()) {
                event.end();
                event.agent = name;
                event.agentId = ref.id();
                event.style = HandlerBehavior.styleOf(first).name();
                event.commit();
            }
            return cell;
        } catch (RuntimeException | Error e) {
            ended(cell); // the thread never ran, so it cannot end itself: free the name and the slot here
            release(hosted);
            throw e;
        }
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
                p -> scheduler.newLaneGroup("policy-" + p.name(), scheduler.workers()));
        return new Pacing(name, schedule, queue, timeouts);
    }

    private static Executor threadPerTask(Thread.Builder.OfVirtual builder) {
        ThreadFactory factory = builder.name("myrmex-turn").factory();
        return task -> factory.newThread(task).start();
    }

    private void ended(AgentCell<?> cell) {
        if (recoverables.any()) {
            recoverables.ended(cell); // unless the runtime's stop ended it, it is retired
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
        if (phase == Phase.STOPPED) {
            fresh.close(); // the stop may have looked before we set it: it must not outlive the runtime
        }
        return fresh;
    }

    /**
     * The agents' health from the health monitor's last round (liveness: stuck agents; readiness: probes), the task
     * queue's stuck workers ({@link TaskQueue#withStuckWorkers}), and the runtime's: DOWN unless it is running, and
     * DOWN once a journal append has failed (records are lost, and {@link #flushJournal} throws from then on;
     * {@link HealthReport#faults()} says why). See {@link HealthCheck}.
     */
    public HealthReport health() {
        HealthMonitor h = health.get();
        boolean running = isRunning();
        JournalWriter w = journalWriter;
        List<String> faults = w == null ? List.of()
                : w.failure().map(f -> List.of("journal: " + f.getMessage())).orElse(List.of());
        if (h == null) {
            return tasks.withStuckWorkers(new HealthReport(running && faults.isEmpty() ? HealthReport.Status.UP
                    : HealthReport.Status.DOWN, 0, 0, 0, List.of(), faults));
        }
        return tasks.withStuckWorkers(h.report(running, faults));
    }

    /** The running agent of that name, if any. */
    public Optional<AgentHandle<?>> lookup(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Agents alive now. */
    public int agentCount() {
        return live.get();
    }

    /** Undelivered messages: counts, the recent ones, subscriptions. */
    public DeadLetters deadLetters() {
        return deadLetters;
    }

    /**
     * The runtime's clock: every deadline, duration and date the runtime reads (see {@link RuntimeClock}), and the
     * one to use for timing logic built on the runtime ({@link CircuitBreaker}, for one).
     */
    public RuntimeClock clock() {
        return clock;
    }

    /** Enqueue stamps for messages sent to this runtime's agents. */
    MessageStamps stamps() {
        return counters.stamps();
    }

    /**
     * A source of chance for the runtime's users, thread-safe. It is one of the streams split from the runtime's
     * one seed ({@link #randomSeed()}), beside the scheduler's choice of victims, restart and task-retry jitter and
     * gossip's choice of peers; seed it with {@link Builder#randomSeed} to replay a run.
     */
    public RandomGenerator random() {
        return random.stream(RandomStreams.Consumer.USER);
    }

    /** The seed all of this runtime's chance comes from: {@link Builder#randomSeed}'s, or one drawn at build. */
    public long randomSeed() {
        return random.seed();
    }

    /** {@code consumer}'s stream of the runtime's chance. */
    RandomGenerator random(RandomStreams.Consumer consumer) {
        return random.stream(consumer);
    }

    /**
     * A snapshot of the runtime as a whole: uptime, agents by state, messages, dead letters, restarts, latencies and
     * the scheduler's counters. Walks every agent (a few milliseconds for a million): meant for scrapes and
     * dashboards, not for a hot loop.
     */
    public RuntimeMetrics metrics() {
        EnumMap<AgentState, Integer> byState = new EnumMap<>(AgentState.class);
        for (AgentState s : AgentState.values()) {
            byState.put(s, 0);
        }
        long received = counters.endedReceived();
        long waiting = 0;
        for (AgentCell<?> c : byName.values()) { // counts only: an agent's averages cost a clock read each
            byState.merge(c.state(), 1, Integer::sum);
            received += c.received();
            waiting += c.mailboxDepth();
        }
        long dead = deadLetters.count();
        // Sent = taken + waiting + dead letters never taken. A message an agent failed on was taken (it is in
        // received already), and a late reply went to an ask's reply address, not to an agent: neither counts again.
        long untaken = dead - deadLetters.count(DeadLetter.Reason.AGENT_FAILED)
                - deadLetters.count(DeadLetter.Reason.LATE_REPLY);
        long started = startedAt;
        Duration uptime = started == 0 ? Duration.ZERO : Duration.ofNanos(clock.nanoTime() - started);
        return new RuntimeMetrics(uptime, live.get(), byState, received + waiting + untaken, received, dead,
                counters.restarts(), counters.escalations(), counters.hookFailures(), counters.livenessFailures(),
                counters.mailboxLatency().snapshot(), counters.spawnLatency().snapshot(), scheduler.stats(),
                journalMetrics(), counters.mutes());
    }

    private JournalMetrics journalMetrics() {
        JournalWriter w = journalWriter;
        return w == null ? JournalMetrics.NONE
                : new JournalMetrics(w.written(), w.dropped(), w.failedAppends(), w.lostRecords());
    }

    /**
     * The journal this runtime records its events in: the one given to {@link Builder#journal}, or its own bounded
     * {@link InMemoryJournal}. Query it at any time; the runtime never closes it (a journal given to it is the
     * giver's to close).
     */
    public EventJournal journal() {
        return journal;
    }

    /**
     * Waits until every event recorded so far has reached the journal, at most {@code timeout}: once this returns
     * true, they are in it, as durable as the journal's mode promises (a submission, a checkpoint). False on timeout,
     * or if the runtime is not running.
     *
     * @throws JournalException if an append has failed since the runtime started (a full disk, an unwritable or
     *                          damaged journal): its records are lost, so no flush can promise otherwise. The message
     *                          names the cause; {@link #health()} is DOWN and {@link RuntimeMetrics#journal()} counts
     *                          the failures
     */
    public boolean flushJournal(Duration timeout) {
        JournalWriter w = journalWriter;
        return w != null && w.flush(timeout);
    }

    /** The agents alive now, in no particular order: a snapshot. */
    public List<AgentHandle<?>> agents() {
        return List.copyOf(byName.values());
    }

    RuntimeCounters counters() {
        return counters;
    }

    boolean isRunning() {
        return phase == Phase.RUNNING;
    }

    /** Runs {@code task} once {@code delay} has passed, on the runtime's timer thread (keep it short). */
    void scheduleAfter(Runnable task, Duration delay) {
        timeouts.schedule(task, delay);
    }

    /** The scheduler that carries the agents. */
    public WorkStealingScheduler scheduler() {
        return scheduler;
    }

    /**
     * Stops every agent gracefully (each finishes its current message, and its queue becomes dead letters; recoverable
     * agents take a last checkpoint first), waits up to {@code timeout} for them to end, then stops the scheduler if
     * the runtime made it. Idempotent once stopped.
     *
     * @return true if every agent ended within the timeout
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        return stop(true, timeout);
    }

    /**
     * {@link #stop(Duration)}, but every agent's thread is interrupted too, and recoverable agents are not asked for
     * a last checkpoint.
     *
     * @return true if every agent ended within the timeout
     */
    public boolean stopNow(Duration timeout) throws InterruptedException {
        return stop(false, timeout);
    }

    private boolean stop(boolean graceful, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        List<AgentCell<?>> cells;
        synchronized (phaseLock) {
            if (phase == Phase.STOPPED) {
                return true;
            }
            phase = Phase.STOPPED;
            cells = new ArrayList<>(byName.values());
        }
        if (recoverables.any()) {
            recoverables.runtimeStopping(); // the agents it stops now come back on recovery
            if (graceful) {
                recoverables.requestAll(); // asked before the stop: taken after each agent's last message
            }
        }
        for (AgentCell<?> c : cells) {
            c.stopIfLive(graceful);
        }
        long deadline = RuntimeClock.system().nanoTime() + timeout.toNanos();
        boolean allEnded = true;
        for (AgentCell<?> c : cells) {
            try {
                c.completion().handle((r, t) -> null).get(Math.max(0, deadline - RuntimeClock.system().nanoTime()),
                        TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                allEnded = false;
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e); // handle() above turns failures into normal completion
            }
        }
        TimeoutWheel t = timeouts;
        if (t != null) {
            t.close();
        }
        counters.stamps().close();
        HealthMonitor h = health.get(); // after the phase: a monitor made later closes itself (healthMonitor)
        if (h != null) {
            h.close();
        }
        if (ownsScheduler) {
            scheduler.shutdown(Duration.ZERO);
        }
        JournalWriter w = journalWriter;
        if (w != null) {
            events.record(EventType.RUNTIME_STOPPED, null, allEnded ? "every agent ended"
                    : "some agents did not end within " + timeout);
            events.writeTo(null);
            w.close(closeTimeout); // what is queued reaches the journal; the journal itself stays open
        }
        return allEnded;
    }

    /** {@link #stop(Duration)} with the builder's close timeout (5 s by default). */
    @Override
    public void close() {
        try {
            stop(closeTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the task queue (see TaskQueue) ----

    /**
     * The runtime's task queue: submit, await, cancel and list tasks, pause and resume the queue, spawn workers (see
     * {@link TaskQueue}). Tasks are journalled: a runtime started on the same durable journal after a crash queues
     * every task that had not ended again, at least once.
     *
     * <pre>{@code
     * TaskId id = rt.tasks().submit(TaskRequest.of("resize", Json.of(Map.of("width", 800))));
     * TaskInfo done = rt.tasks().await(id, Duration.ofSeconds(30));
     * }</pre>
     */
    public TaskQueue tasks() {
        return tasks;
    }

    private void ensureRunning(String what) {
        Phase p = phase;
        if (p != Phase.RUNNING) {
            throw new IllegalStateException("cannot " + what + ": the runtime is "
                    + (p == Phase.NEW ? "not started (call start())" : "stopped"));
        }
    }

    // ---- ask support ----

    /** A pending ask: its one-time reply address and what settles it (a reply, a bounce, the timeout). */
    record Promise<R extends Sendable>(AgentRef<R> replyTo, PromiseEndpoint<R> endpoint) {
        CompletableFuture<R> future() {
            return endpoint.future();
        }
    }

    <R extends Sendable> Promise<R> newPromise(String askedAgent, Duration timeout, BooleanSupplier replyPoller) {
        ensureRunning("ask");
        PromiseEndpoint<R> endpoint = new PromiseEndpoint<>(askedAgent, timeout, deadLetters, replyPoller);
        AgentRef<R> replyTo = new AgentRef<>(ids.incrementAndGet(), "ask-" + askedAgent, endpoint, this);
        endpoint.bind(replyTo);
        CompletableFuture<R> future = endpoint.future();
        // The timer holds the endpoint, and so the reply address, until the ask is settled: an address that crossed
        // into another process (which can only hold it weakly) stays valid for as long as the reply is awaited. The
        // endpoint is its own timeout task; if the runtime stops first, the wheel abandons it and it fails the ask:
        // no reply can come after that.
        TimeoutWheel.Timeout expiry = timeouts.schedule(endpoint, timeout);
        future.whenComplete((r, t) -> expiry.cancel());
        return new Promise<>(replyTo, endpoint);
    }

    /** The runtime as its supervision trees see it. */
    private final class Trees implements TreeRuntime {
        @Override
        public Supervised spawnChild(SupervisorSpec.AgentChild child, SupervisionParent parent) {
            return AgentRuntime.this.spawnChild(child, parent);
        }

        @Override
        public boolean isRunning() {
            return AgentRuntime.this.isRunning();
        }

        @Override
        public RuntimeClock clock() {
            return clock;
        }

        @Override
        public RandomGenerator restartJitter() {
            return random(RandomStreams.Consumer.RESTART_BACKOFF);
        }

        @Override
        public void scheduleAfter(Runnable task, Duration delay) {
            AgentRuntime.this.scheduleAfter(task, delay);
        }

        @Override
        public RuntimeCounters counters() {
            return counters;
        }

        @Override
        public Thread.Builder.OfVirtual threadBuilder() {
            return scheduler.threadBuilder();
        }
    }

    /** What the coordination primitives may do that users may not (see {@link CoreAccess}). */
    private static final class CoreBridge implements CoreAccess.Bridge {
        @Override
        public <R extends Sendable> AgentRef<R> replyAddress(AgentRuntime rt, String name, Endpoint<R> endpoint) {
            rt.ensureRunning("make a reply address");
            return new AgentRef<>(rt.ids.incrementAndGet(), name, endpoint, rt);
        }

        @Override
        public <M extends Sendable> boolean send(AgentRef<M> to, M payload, Tag sender) {
            return to.sendAs(payload, sender);
        }

        @Override
        public TimeoutWheel.Timeout schedule(AgentRuntime rt, Runnable task, Duration delay) {
            rt.ensureRunning("schedule a timeout");
            return rt.timeouts.schedule(task, delay);
        }

        @Override
        public RuntimeEvents events(AgentRuntime rt) {
            return rt.events;
        }

        @Override
        public Endpoint<?> endpointOf(AgentRef<?> ref) {
            return ref.endpoint();
        }

        @Override
        public DeadLetters deadLetters(AgentRuntime rt) {
            return rt.deadLetters;
        }

        @Override
        public AgentStyle styleOf(Behavior<?> behavior) {
            return HandlerBehavior.styleOf(behavior);
        }

        @Override
        public Class<?> codeOf(Behavior<?> behavior) {
            return HandlerBehavior.codeOf(behavior).getClass();
        }

        @Override
        public RandomGenerator random(AgentRuntime rt, RandomStreams.Consumer consumer) {
            return rt.random(consumer);
        }

        @Override
        public <T> T shared(AgentRuntime rt, Class<T> kind, Function<AgentRuntime, T> make) {
            return kind.cast(rt.shared.computeIfAbsent(kind, k -> make.apply(rt)));
        }

        @Override
        public FencingTokens fencingTokens(AgentRuntime rt) {
            return rt.fencingTokens;
        }

        @Override
        public void ensureRunning(AgentRuntime rt, String what) {
            rt.ensureRunning(what);
        }
    }

    /** Options for an {@link AgentRuntime}. */
    public static final class Builder {
        private int workers = Runtime.getRuntime().availableProcessors();
        private int maxAgents = 10_000_000;
        private MailboxSettings mailbox = MailboxSettings.DEFAULTS;
        private WorkStealingScheduler scheduler;
        private Duration closeTimeout = Duration.ofSeconds(5);
        private int deadLetterWindow = 1024;
        private RuntimeClock clock = RuntimeClock.system();
        private RandomStreams random = RandomStreams.withDrawnSeed();
        private Duration healthInterval = Duration.ofMillis(500);
        private SchedulingPolicy policy = SchedulingPolicy.DIRECT;
        private EventJournal journal;
        private int journalRingSize = 16_384;
        private Duration journalWriterSpin = Duration.ZERO;
        private Severity journalSeverity = Severity.INFO;
        private final Map<String, AgentFactory<?, ?>> factories = new LinkedHashMap<>();
        private final Map<String, SupervisorSpec> trees = new LinkedHashMap<>();
        private Duration checkpointInterval = Duration.ofSeconds(60);
        private int taskCapacity = 100_000;
        private int taskRetention = 10_000;
        private CheckpointCodec<Val> taskInputCodec = TaskInputs.JSON;
        private Backoff taskRetryBackoff = Backoff.exponential(Duration.ofMillis(100), 2, Duration.ofSeconds(30))
                .withJitter(0.2);
        private Duration taskInterruptGrace = DEFAULT_TASK_INTERRUPT_GRACE;

        private Builder() {
        }

        /** Carrier threads of the runtime's own scheduler. Default: available processors. */
        public Builder workers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("workers must be at least 1: " + n);
            }
            this.workers = n;
            return this;
        }

        /** The most agents alive at once; a spawn beyond it throws {@link AgentLimitException}. Default 10 million. */
        public Builder maxAgents(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxAgents must be at least 1: " + n);
            }
            this.maxAgents = n;
            return this;
        }

        /** The mailbox settings of agents spawned without their own. */
        public Builder mailbox(MailboxSettings settings) {
            this.mailbox = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Carry the agents on this scheduler (the runtime will not close it) instead of a scheduler of its own. */
        public Builder scheduler(WorkStealingScheduler s) {
            this.scheduler = Objects.requireNonNull(s, "scheduler");
            return this;
        }

        /** How long {@link AgentRuntime#close()} waits for agents to end. Default 5 s. */
        public Builder closeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative: " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        /** How many recent dead letters to keep for inspection. Default 1024. */
        public Builder deadLetterWindow(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("deadLetterWindow must not be negative: " + n);
            }
            this.deadLetterWindow = n;
            return this;
        }

        /** The clock timing logic reads ({@link AgentRuntime#clock()}); the real one by default. */
        public Builder clock(RuntimeClock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /**
         * The one seed of all the runtime's chance: the scheduler's choice of victims (unless a scheduler is given),
         * restart and task-retry jitter, gossip's peers and {@link AgentRuntime#random()}, each a stream of its own
         * split from it. With the same seed, chance repeats run after run. By default a seed is drawn at build:
         * {@link AgentRuntime#randomSeed()} tells it.
         */
        public Builder randomSeed(long seed) {
            this.random = new RandomStreams(seed);
            return this;
        }

        /**
         * How often the health monitor runs the agents' checks (see {@link HealthCheck}); a stuck agent is found
         * within its liveness timeout plus this. Default 500 ms.
         */
        public Builder healthInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("healthInterval must be positive: " + interval);
            }
            this.healthInterval = interval;
            return this;
        }

        /**
         * The scheduling policy of agents spawned without one of their own ({@link SpawnOptions#withScheduling}).
         * Default {@link SchedulingPolicy#DIRECT}: no policy layer, the fastest.
         */
        public Builder schedulingPolicy(SchedulingPolicy p) {
            this.policy = Objects.requireNonNull(p, "policy");
            return this;
        }

        /**
         * Where the runtime records its events (and, with recovery, checkpoints). Default: a bounded
         * {@link InMemoryJournal} of its own. The runtime never closes it.
         */
        public Builder journal(EventJournal j) {
            this.journal = Objects.requireNonNull(j, "journal");
            return this;
        }

        /**
         * Slots of the ring between the threads that record events and the journal writer, a power of two; when it
         * is full, events are dropped and counted, never waited for, and the journal says how many. Default 16,384.
         */
        public Builder journalRingSize(int slots) {
            if (slots < 1 || Integer.bitCount(slots) != 1) {
                throw new IllegalArgumentException("journalRingSize must be a power of two: " + slots);
            }
            this.journalRingSize = slots;
            return this;
        }

        /**
         * How long the journal writer spins for the next event after writing a batch, before it backs off (yields,
         * then parks a millisecond at a time). Default zero: events reach the journal within about a microsecond
         * while they come steadily and within a millisecond after a quiet spell, at no CPU cost when idle. A spin of
         * some tens of microseconds halves the first figure, for up to that much CPU time after every batch: worth it
         * for a live tail of a busy runtime, not on a machine with few cores to spare.
         *
         * @throws IllegalArgumentException if negative or over a second
         */
        public Builder journalWriterSpin(Duration spin) {
            Objects.requireNonNull(spin, "spin");
            if (spin.isNegative() || spin.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("journalWriterSpin must be between 0 and 1 s: " + spin);
            }
            this.journalWriterSpin = spin;
            return this;
        }

        /** The least severity journalled. Default INFO: AGENT_STARTED and CHECKPOINT_WRITTEN (DEBUG) are left out. */
        public Builder journalSeverity(Severity least) {
            this.journalSeverity = Objects.requireNonNull(least, "least");
            return this;
        }

        /**
         * Declares a supervision tree that {@link AgentRuntime#start()} starts, after recovery. Its recoverable agents
         * ({@link SupervisorSpec.Builder#recoverable}) come back inside it: a runtime started on a journal with history
         * does not spawn them on their own but leaves their last checkpoints to this tree, which spawns them from there.
         * So recovery rebuilds the tree. Find it with {@link AgentRuntime#supervisor(String)}.
         *
         * <pre>{@code
         * AgentRuntime rt = AgentRuntime.builder().journal(journal).factory("account", accounts)
         *         .supervisor("bank", SupervisorSpec.builder(SupervisionStrategy.ONE_FOR_ONE)
         *                 .recoverable("alice", accounts, Supervision.of(RestartPolicy.ALWAYS))
         *                 .recoverable("bob", accounts, Supervision.of(RestartPolicy.ALWAYS)).build())
         *         .build();
         * rt.start();   // the tree, with alice and bob as they were at their last checkpoints
         * }</pre>
         *
         * @throws IllegalArgumentException if a tree of that name is declared already, or the name is blank
         */
        public Builder supervisor(String name, SupervisorSpec spec) {
            Objects.requireNonNull(spec, "spec");
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a supervision tree needs a non-blank name");
            }
            if (trees.putIfAbsent(name, spec) != null) {
                throw new IllegalArgumentException("a supervision tree named '" + name + "' is declared already");
            }
            return this;
        }

        /**
         * Registers {@code factory} under {@code name}: agents spawned with it are recoverable, and a runtime started
         * on a journal with history brings back the ones the journal says were running. Register the same factories
         * under the same names in every runtime that opens the journal.
         *
         * @throws IllegalArgumentException if the name is blank or taken, or the factory is registered already
         */
        public Builder factory(String name, AgentFactory<?, ?> factory) {
            Objects.requireNonNull(factory, "factory");
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("an agent factory needs a non-blank name");
            }
            if (factories.containsKey(name)) {
                throw new IllegalArgumentException("a factory is already registered under '" + name + "'");
            }
            if (factories.containsValue(factory)) {
                throw new IllegalArgumentException("this factory is already registered (under another name): one "
                        + "name per factory, so that its agents' checkpoints name it");
            }
            factories.put(name, factory);
            return this;
        }

        /** The most tasks that may be pending or running at once. Default 100,000. */
        public Builder taskCapacity(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("taskCapacity must be at least 1: " + n);
            }
            this.taskCapacity = n;
            return this;
        }

        /** How many finished tasks are remembered for status, list and await. Default 10,000. */
        public Builder taskRetention(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("taskRetention cannot be negative: " + n);
            }
            this.taskRetention = n;
            return this;
        }

        /**
         * The wait before a failed task's retry n. Default exponential from 100 ms, doubling, at most 30 s, 20% jitter.
         */
        public Builder taskRetryBackoff(Backoff backoff) {
            this.taskRetryBackoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * How task inputs are journalled, so that a runtime restarted on the same journal can queue unfinished tasks
         * again. The default, {@link TaskInputs#JSON}, journals {@link Json} inputs; give a codec for the {@code Val}s
         * your tasks take (it may hand {@code Json} values to the default). A task whose input the codec cannot
         * encode still runs; after a crash it ends FAILED, its reason saying the input was never journalled.
         */
        public Builder taskInputCodec(CheckpointCodec<Val> codec) {
            this.taskInputCodec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /**
         * How long a task attempt's thread may take to return once it is interrupted (its timeout passed, or the task
         * was cancelled) before its worker is declared stuck: reported ({@code TASK_WORKER_STUCK}, {@link AgentRuntime#health()}
         * DEGRADED), counted ({@link QueueStatus#abandonedAttempts()}) and replaced by a fresh worker agent for the same
         * task names. Until then the worker takes no other task: one worker never runs two attempts at once. Default
         * {@value #DEFAULT_TASK_INTERRUPT_GRACE_SECONDS} s.
         */
        public Builder taskInterruptGrace(Duration grace) {
            Objects.requireNonNull(grace, "grace");
            if (grace.isNegative() || grace.isZero()) {
                throw new IllegalArgumentException("taskInterruptGrace must be positive: " + grace);
            }
            this.taskInterruptGrace = grace;
            return this;
        }

        /**
         * The default {@link #taskInterruptGrace}, in seconds: long enough for an attempt that checks for interrupts
         * between steps of a second or two, or blocks in interruptible calls, to return on a loaded machine; short
         * enough that a name served by one worker stalls for seconds, not minutes, behind an attempt that never
         * returns. Lower it for short tasks, raise it for steps that block uninterruptibly for longer.
         */
        public static final int DEFAULT_TASK_INTERRUPT_GRACE_SECONDS = 10;
        private static final Duration DEFAULT_TASK_INTERRUPT_GRACE =
                Duration.ofSeconds(DEFAULT_TASK_INTERRUPT_GRACE_SECONDS);

        /** How often recoverable agents are checkpointed. Default 60 s. */
        public Builder checkpointInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("checkpointInterval must be positive: " + interval);
            }
            this.checkpointInterval = interval;
            return this;
        }

        public AgentRuntime build() {
            return new AgentRuntime(this);
        }
    }
}
