package dev.myrmex.core;

import dev.myrmex.core.internal.AgentCell;
import dev.myrmex.core.internal.CoreAccess;
import dev.myrmex.core.internal.FencingTokens;
import dev.myrmex.core.internal.HealthMonitor;
import dev.myrmex.core.internal.JournalWriter;
import dev.myrmex.core.internal.MessageStamps;
import dev.myrmex.core.internal.RandomStreams;
import dev.myrmex.core.internal.Recoverables;
import dev.myrmex.core.internal.RuntimeCounters;
import dev.myrmex.core.internal.RuntimeEvents;
import dev.myrmex.core.internal.TimeoutWheel;
import dev.myrmex.core.internal.supervision.DeclaredTrees;
import dev.myrmex.core.journal.EventJournal;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.InMemoryJournal;
import dev.myrmex.core.journal.JournalException;
import dev.myrmex.core.journal.JournalSettings;
import dev.myrmex.core.mailbox.MailboxSettings;
import dev.myrmex.core.metrics.HealthCheck;
import dev.myrmex.core.metrics.HealthReport;
import dev.myrmex.core.metrics.JournalMetrics;
import dev.myrmex.core.metrics.RuntimeMetrics;
import dev.myrmex.core.recovery.AgentFactory;
import dev.myrmex.core.recovery.Checkpointable;
import dev.myrmex.core.recovery.RecoveryReport;
import dev.myrmex.core.resilience.CircuitBreaker;
import dev.myrmex.core.scheduling.SchedulingPolicy;
import dev.myrmex.core.supervision.Supervision;
import dev.myrmex.core.supervision.Supervisor;
import dev.myrmex.core.supervision.SupervisorSpec;
import dev.myrmex.core.task.TaskQueue;
import dev.myrmex.core.task.TaskSettings;
import dev.myrmex.core.time.RuntimeClock;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
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

    static {
        CoreAccess.install(new CoreBridge());
    }

    private final WorkStealingScheduler scheduler;
    private final boolean ownsScheduler;
    private final Duration closeTimeout;
    private final DeadLetters deadLetters;
    private final RuntimeClock clock;
    private final RandomStreams random;
    private final EventJournal journal;
    private final JournalSettings journalSettings;
    private final RuntimeEvents events;
    private final RuntimeCounters counters;
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
    private final AtomicLong ids = new AtomicLong();
    /**
     * Orders start and stop, and only those: a start holds it across the journal's history (I/O, maybe long), so it is
     * a monitor, not a spin lock. No carrier takes it (start and stop wait, which a carrier never may).
     */
    private final Object phaseLock = new Object();
    /** Spawns the agents and keeps the live ones by name. */
    private final Spawner spawner;
    private volatile Phase phase = Phase.NEW;
    /** The agents the first stop stopped (guarded by phaseLock): later stops wait for them too. */
    private List<AgentCell<?>> stoppedCells;
    private volatile long startedAt; // the clock's time at start(); 0 before
    private final SchedulingPolicy defaultPolicy;
    private volatile TimeoutWheel timeouts;

    private AgentRuntime(Builder b) {
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = ownsScheduler
                ? WorkStealingScheduler.builder().workers(b.workers).name("myrmex-agents")
                        .seed(b.random.seedOf(RandomStreams.Consumer.SCHEDULER)).build()
                : b.scheduler;
        this.closeTimeout = b.closeTimeout;
        this.deadLetters = new DeadLetters(b.deadLetterWindow);
        this.clock = b.clock;
        this.random = b.random;
        this.defaultPolicy = b.policy;
        this.journal = b.journal != null ? b.journal : new InMemoryJournal();
        this.journalSettings = b.journalSettings;
        this.events = new RuntimeEvents(b.journalSettings.severity(), clock);
        this.counters = new RuntimeCounters(events,
                new MessageStamps(clock, clock == RuntimeClock.system(), "myrmex"), clock);
        this.recoverables = new Recoverables(b.factories, events);
        this.trees = new LinkedHashMap<>(b.trees);
        this.checkpointInterval = b.checkpointInterval;
        deadLetters.subscribe(events::deadLetter);
        this.spawner = new Spawner(this, b.maxAgents, b.mailbox, b.policy, b.healthInterval);
        this.tasks = new TaskQueue(this, b.tasks);
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
        recovery = recoverables.recover(history, requeued, spawner::respawn, DeclaredTrees.recoverableNames(trees));
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
                    JournalWriter w = new JournalWriter(journal, journalSettings.ringSize(),
                            journalSettings.writerSpin(), clock);
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
    public <M extends Sendable> AgentHandle<M> spawn(String name, Behavior<M> behavior, SpawnOptions options) {
        return spawner.spawn(name, behavior, options);
    }

    /**
     * Starts a supervision tree: a supervisor that starts the children of {@code spec} in order and restarts them by
     * its strategy. The supervisor's name is its own (it is not an agent); its agents' names are taken in the runtime.
     *
     * @throws IllegalStateException   if the runtime is not running
     * @throws AgentNameTakenException if an agent name of the tree is taken (the children started before are stopped)
     */
    public Supervisor supervise(String name, SupervisorSpec spec) {
        return spawner.supervise(name, spec);
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
        return spawner.spawn(name, factory);
    }

    /**
     * Spawns a recoverable agent from the factory registered under {@code factoryName}: {@link #spawn(String,
     * AgentFactory)} for callers that know factories by name (the management API).
     *
     * @throws IllegalArgumentException naming the registered factories, if none is registered under that name
     */
    public AgentHandle<?> spawn(String name, String factoryName) {
        return spawner.spawn(name, factoryName);
    }

    /** The names of the factories registered with {@link Builder#factory}. */
    public Set<String> factoryNames() {
        return recoverables.factoryNames();
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

    /**
     * The agents' health from the health monitor's last round (liveness: stuck agents; readiness: probes), the task
     * queue's stuck workers ({@link TaskQueue#withStuckWorkers}), and the runtime's: DOWN unless it is running, and
     * DOWN once a journal append has failed (records are lost, and {@link #flushJournal} throws from then on;
     * {@link HealthReport#faults()} says why). See {@link HealthCheck}.
     */
    public HealthReport health() {
        HealthMonitor h = spawner.healthMonitorIfAny();
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
        return Optional.ofNullable(spawner.named(name));
    }

    /** Agents alive now. */
    public int agentCount() {
        return spawner.liveCount();
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
        for (AgentCell<?> c : spawner.cells()) { // counts only: an agent's averages cost a clock read each
            byState.merge(c.state(), 1, Integer::sum);
            received += c.received();
            waiting += c.mailboxDepth();
        }
        long dead = deadLetters.count();
        // Sent = taken + waiting + dead letters never taken. A message an agent failed on was taken (it is in
        // received already), and a late or wrong reply went to an ask's reply address, not to an agent: neither counts
        // again.
        long untaken = dead - deadLetters.count(DeadLetter.Reason.AGENT_FAILED)
                - deadLetters.count(DeadLetter.Reason.LATE_REPLY) - deadLetters.count(DeadLetter.Reason.WRONG_REPLY);
        long started = startedAt;
        Duration uptime = started == 0 ? Duration.ZERO : Duration.ofNanos(clock.nanoTime() - started);
        return new RuntimeMetrics(uptime, spawner.liveCount(), byState, received + waiting + untaken, received, dead,
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
        return List.copyOf(spawner.cells());
    }

    RuntimeCounters counters() {
        return counters;
    }

    RuntimeEvents events() {
        return events;
    }

    Recoverables recoverables() {
        return recoverables;
    }

    /** The timing wheel; null until the runtime starts. */
    TimeoutWheel timeouts() {
        return timeouts;
    }

    /** A fresh agent or reply-address id. */
    long nextId() {
        return ids.incrementAndGet();
    }

    /** The last id given out (spawn timing samples one spawn in 16 by it). */
    long lastId() {
        return ids.get();
    }

    boolean isStopped() {
        return phase == Phase.STOPPED;
    }

    FencingTokens fencingTokens() {
        return fencingTokens;
    }

    /** The runtime's one instance of {@code kind}, made by {@code make} at the first call (see CoreAccess.shared). */
    <T> T shared(Class<T> kind, Function<AgentRuntime, T> make) {
        return kind.cast(shared.computeIfAbsent(kind, k -> make.apply(this)));
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
     * the runtime made it. It returns after about {@code timeout} even if an agent never ends (one that ignores its
     * interrupt and never yields holds a carrier: the scheduler then stops once it ends). A later call stops nothing
     * more: it waits up to its own timeout for the agents the first one stopped, and says whether they have ended.
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
        boolean again;
        synchronized (phaseLock) {
            again = phase == Phase.STOPPED;
            if (!again) {
                phase = Phase.STOPPED;
                stoppedCells = new ArrayList<>(spawner.cells());
            }
            cells = stoppedCells;
        }
        if (again) {
            return allEnded(cells, timeout); // a later call waits for the same agents, and says if they ended
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
        boolean allEnded = allEnded(cells, timeout);
        TimeoutWheel t = timeouts;
        if (t != null) {
            t.close();
        }
        counters.stamps().close();
        HealthMonitor h = spawner.healthMonitorIfAny(); // after the phase: one made later closes itself
        if (h != null) {
            h.close();
        }
        if (ownsScheduler) {
            if (allEnded) {
                scheduler.shutdown(Duration.ZERO);
            } else {
                // An agent that ignores its interrupt and never yields holds its carrier, and a worker stops only
                // after the run it is in: waiting for that here would break the timeout. The workers stop when it
                // ends, on a thread of their own (RuntimeExtensionTest).
                Thread.ofPlatform().daemon().name("myrmex-scheduler-stop").start(
                        () -> scheduler.shutdown(Duration.ZERO));
            }
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

    /** Waits up to {@code timeout} for every one of {@code cells} to end; true if they all did. */
    private static boolean allEnded(List<AgentCell<?>> cells, Duration timeout) throws InterruptedException {
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

    void ensureRunning(String what) {
        Phase p = phase;
        if (p != Phase.RUNNING) {
            throw new IllegalStateException("cannot " + what + ": the runtime is "
                    + (p == Phase.NEW ? "not started (call start())" : "stopped"));
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
        private JournalSettings journalSettings = JournalSettings.DEFAULTS;
        private final Map<String, AgentFactory<?, ?>> factories = new LinkedHashMap<>();
        private final Map<String, SupervisorSpec> trees = new LinkedHashMap<>();
        private Duration checkpointInterval = Duration.ofSeconds(60);
        private TaskSettings tasks = TaskSettings.DEFAULTS;

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
         * How the runtime records its events: ring size, writer spin, least severity. Default
         * {@link JournalSettings#DEFAULTS}.
         */
        public Builder journalSettings(JournalSettings settings) {
            this.journalSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Declares a supervision tree that {@link AgentRuntime#start()} starts, after recovery. Its recoverable agents
         * ({@link SupervisorSpec.Builder#recoverable}) come back inside it: a runtime started on a journal with history
         * does not spawn them on their own but leaves their last checkpoints to this tree, which spawns them from
         * there. So recovery rebuilds the tree. Find it with {@link AgentRuntime#supervisor(String)}.
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

        /**
         * How the task queue ({@link AgentRuntime#tasks()}) is bounded, retries and journals its inputs. Default
         * {@link TaskSettings#DEFAULTS}.
         */
        public Builder tasks(TaskSettings settings) {
            this.tasks = Objects.requireNonNull(settings, "settings");
            return this;
        }

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

    /** What it is at a glance: {@code AgentRuntime[RUNNING, agents=12, workers=2, DeadLetters[0]]}. */
    @Override
    public String toString() {
        return "AgentRuntime[" + phase + ", agents=" + spawner.liveCount() + ", workers=" + scheduler.workers() + ", "
                + deadLetters + "]";
    }
}
