package dev.myrmex.core.task;

import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentNameTakenException;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.AgentState;
import dev.myrmex.core.Val;
import dev.myrmex.core.codec.ValueCodec;
import dev.myrmex.core.internal.CoreAccess;
import dev.myrmex.core.internal.RandomStreams;
import dev.myrmex.core.internal.RuntimeEvents;
import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.json.Json;
import dev.myrmex.core.json.JsonDepthException;
import dev.myrmex.core.metrics.HealthReport;
import dev.myrmex.core.recovery.RecoveryReport;
import dev.myrmex.core.resilience.Backoff;
import dev.myrmex.core.spi.StackTraces;
import dev.myrmex.sched.SpinLock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A runtime's task queue: tasks with priorities, dependencies, retries and timeouts, run by agents registered as
 * workers. A runtime has one: {@link AgentRuntime#tasks()}.
 *
 * <pre>{@code
 * rt.tasks().spawnWorker("resizer", Set.of("resize"), task -> resize((Image) task.input()));
 * TaskId id = rt.tasks().submit(TaskRequest.of("resize", new Image(...)).withPriority(10)
 *         .withTimeout(Duration.ofSeconds(5)).withMaxRetries(2));
 * TaskInfo done = rt.tasks().await(id, Duration.ofSeconds(30));   // SUCCEEDED, FAILED, TIMEOUT or CANCELLED
 * }</pre>
 *
 * <p><b>Order.</b> A task is ready once every dependency has succeeded; ready tasks go to an idle worker registered
 * for their name (or for any name) lowest priority number first, then oldest first. A worker takes one task at a
 * time. A failed attempt is retried after the queue's backoff while retries are left; one past its timeout is
 * interrupted and ends TIMEOUT (not retried); a task whose dependency did not succeed ends CANCELLED without running,
 * its reason naming the dependency, and so on down the graph.
 *
 * <p><b>One attempt per worker, stuck workers.</b> A worker is offered its next task only once its last attempt's
 * thread has returned, however the task ended. An attempt interrupted by its timeout or a cancel has the queue's
 * interrupt grace to return; if its thread has not returned by then (it ignores interrupts), its worker is declared
 * stuck: a {@link EventType#TASK_WORKER_STUCK} event, {@code health()} DEGRADED naming it, counted in
 * {@link QueueStatus#abandonedAttempts()}, and a fresh worker agent for the same task names (named
 * {@code name~1}, {@code name~2}...) takes its place. The abandoned thread is left to end on its own; its outcome
 * is ignored (the task had ended already) and counted in {@link QueueStatus#lateResults()}.
 *
 * <p><b>Threads.</b> Any thread may call it. One lock guards all state; signals to workers and completions of
 * awaited futures happen after it is released. Finished tasks are remembered (for status, list and await) up to the
 * queue's retention, oldest forgotten first; their inputs up to {@link TaskSettings#retainedInputBytes()}, the oldest
 * one's input let go first (the record stays).
 */
public final class TaskQueue {
    private final AgentRuntime runtime;
    private final int capacity;
    final int retention;
    private final Backoff retryBackoff;
    private final ValueCodec<Val> inputCodec;
    private final Duration interruptGrace;
    final RuntimeEvents events;
    private final StuckWorkers stuck = new StuckWorkers(); // thread-safe on its own

    private final SpinLock lock = new SpinLock(); // taken on carriers too (handlers submit): it never parks
    final TreeMap<Long, TaskEntry> tasks = new TreeMap<>(); // guarded by lock, like every field below
    final ArrayDeque<TaskEntry> finished = new ArrayDeque<>(); // ended and remembered, oldest first
    private final ArrayDeque<TaskEntry> finishedWithInput = new ArrayDeque<>(); // of those, the ones holding inputs
    private final long retainedInputBytes;
    private long heldInputBytes; // the encoded sizes of the inputs finishedWithInput holds
    private final Matching matching = new Matching();
    private final Set<WorkerSlot> workers = new LinkedHashSet<>();
    long lastId;
    int pending;
    private int running;
    private long succeeded;
    private long failed;
    private long cancelled;
    private long timedOut;
    private boolean paused;

    /** The queue of {@code runtime}, which makes it; bounded, retrying and journalling by {@code settings}. */
    public TaskQueue(AgentRuntime runtime, TaskSettings settings) {
        this.runtime = runtime;
        this.capacity = settings.capacity();
        this.retention = settings.retention();
        this.retainedInputBytes = settings.retainedInputBytes();
        this.retryBackoff = settings.retryBackoff();
        this.inputCodec = settings.inputCodec();
        this.interruptGrace = settings.interruptGrace();
        this.events = CoreAccess.get().events(runtime);
    }

    Duration interruptGrace() {
        return interruptGrace;
    }

    /** Takes the queue's lock: held for a microsecond or less, never across a wait or user code. */
    private void lock() {
        lock.lock();
    }

    // ---- submitting ----

    /**
     * Submits one task.
     *
     * <p>Durability: the submission is journalled. A runtime started on the same (durable) journal after a crash
     * queues every task that had not ended again, under its id, from its first attempt: at-least-once, so a task that
     * was running, or had ended but whose end was not yet durable, runs again. Tasks that ended are not run again. A
     * submission made in the journal's flush window before a crash may be lost; {@code AgentRuntime.flushJournal}
     * makes it durable. Inputs are journalled by {@link TaskSettings#inputCodec()} (Json by default).
     *
     * @throws IllegalArgumentException if a dependency is unknown, or the request names batch keys
     * @throws JsonDepthException       if a {@link Json} input nests deeper than {@link Json#MAX_DEPTH}
     * @throws QueueFullException       if the queue is at capacity
     * @throws IllegalStateException    if the runtime is not running
     */
    public TaskId submit(TaskRequest request) {
        CoreAccess.get().ensureRunning(runtime, "submit a task");
        return submitAll(List.of(request)).getFirst();
    }

    /**
     * Submits a batch: all of it or, if anything is wrong, none of it. Requests may wait for each other by key
     * ({@link TaskRequest#withKey}, {@link TaskRequest#afterKeys}) as well as for earlier tasks by id.
     *
     * @return the ids, in the order of {@code requests}
     * @throws TaskGraphException      naming the tasks: a dependency cycle, an unknown dependency or key, a key used
     *                                  twice
     * @throws JsonDepthException       if a {@link Json} input nests deeper than {@link Json#MAX_DEPTH}: it could not
     *                                  be journalled, nor read back after a restart, nor listed over HTTP
     * @throws QueueFullException       if the batch does not fit the queue's capacity
     * @throws IllegalStateException    if the runtime is not running
     */
    public List<TaskId> submitAll(List<TaskRequest> requests) {
        CoreAccess.get().ensureRunning(runtime, "submit tasks");
        List<TaskRequest> order = TaskGraph.order(requests); // checks keys and cycles
        Map<TaskRequest, TaskInputs.Encoded> inputs = new IdentityHashMap<>(requests.size());
        for (TaskRequest r : requests) { // the codec is the user's code: run it outside the lock
            if (r.input() instanceof Json j) {
                Json.requireWithinDepth(j, "the input of task '" + r.name() + "'");
            }
            inputs.put(r, TaskInputs.encode(inputCodec, r.input()));
        }
        TaskEffects fx = new TaskEffects(this, runtime);
        List<TaskId> ids;
        lock();
        try {
            if (pending + running + requests.size() > capacity) {
                throw new QueueFullException("the task queue is full: " + (pending + running) + " tasks pending or"
                        + " running, capacity " + capacity + (requests.size() > 1 ? ", batch of " + requests.size()
                        : ""), capacity);
            }
            for (TaskRequest r : requests) {
                for (TaskId d : r.dependencies()) {
                    if (!tasks.containsKey(d.value())) {
                        throw new TaskGraphException(TaskGraphException.Problem.UNKNOWN_TASK, "task '" + r.name()
                                + "' depends on task " + d
                                + ", which is unknown (never submitted, or finished and forgotten)");
                    }
                }
            }
            Map<String, TaskEntry> byKey = new HashMap<>(); // no table until a key is put
            Map<TaskRequest, TaskEntry> made = new IdentityHashMap<>(requests.size()); // equal requests: two tasks
            Instant now = now();
            for (TaskRequest r : order) {
                List<TaskEntry> deps = new ArrayList<>(r.dependencies().size() + r.afterKeys().size());
                r.dependencies().forEach(d -> deps.add(tasks.get(d.value())));
                r.afterKeys().forEach(k -> deps.add(byKey.get(k)));
                TaskInputs.Encoded in = inputs.get(r);
                List<Long> depIds = ids(deps);
                TaskEntry t = new TaskEntry(new TaskId(++lastId), r, depIds.stream().map(TaskId::new).toList(), now,
                        in.bytes() == null ? 0 : in.bytes().length);
                tasks.put(t.id.value(), t);
                pending++;
                made.put(r, t);
                if (r.key() != null) {
                    byKey.put(r.key(), t);
                }
                fx.journal(() -> events.taskSubmitted(TaskInputs.submission(now(), t.id.value(), r, depIds,
                        inputCodec.id(), in)));
                wire(t, deps, fx);
            }
            ids = new ArrayList<>(requests.size());
            for (TaskRequest r : requests) {
                ids.add(made.get(r).id);
            }
        } finally {
            lock.unlock();
        }
        fx.run();
        return ids;
    }

    private static List<Long> ids(List<TaskEntry> entries) {
        List<Long> ids = new ArrayList<>(entries.size());
        entries.forEach(e -> ids.add(e.id.value()));
        return ids;
    }

    void wire(TaskEntry t, List<TaskEntry> deps, TaskEffects fx) {
        for (TaskEntry d : deps) {
            if (d.status == TaskStatus.SUCCEEDED) {
                continue;
            }
            if (d.status.isFinal()) {
                finish(t, TaskStatus.CANCELLED, notRun(d), fx);
                return;
            }
            d.addDependent(t);
            t.unmet++;
        }
        if (t.unmet == 0) {
            makeReady(t, fx);
        } else {
            t.reason = waiting(t);
        }
    }

    private static String waiting(TaskEntry t) {
        return "waiting for " + t.unmet + (t.unmet == 1 ? " dependency" : " dependencies");
    }

    private static String notRun(TaskEntry dependency) {
        return "not run: dependency " + dependency.id + " (" + dependency.request.name() + ") ended "
                + dependency.status;
    }

    // ---- after a restart ----

    /**
     * Brings back what {@code history} (the journal, read as the runtime started) says: unfinished tasks are queued
     * again under their old ids, with no attempts yet (so a task that was running runs again: at-least-once);
     * finished ones are remembered as they ended (up to the retention; status, reason and request without its input,
     * which stays in the journal) and not run again. A task whose input cannot be decoded, or was never journalled,
     * ends FAILED saying so. Called once by the runtime as it starts.
     *
     * @return what was queued again, and what could not be
     * @throws IllegalStateException if tasks were submitted or restored before
     */
    public RecoveryReport.Tasks restore(TaskHistory history) {
        List<TaskRestore.Decoded> all = TaskRestore.decode(inputCodec, history); // outside the lock: user code
        TaskEffects fx = new TaskEffects(this, runtime);
        RecoveryReport.Tasks report;
        lock();
        try {
            if (lastId != 0) {
                throw new IllegalStateException("tasks can only be restored into an unused queue");
            }
            report = TaskRestore.apply(this, all, fx);
        } finally {
            lock.unlock();
        }
        fx.run();
        return report;
    }

    // ---- asking ----

    /** The task as it stands, if it is known. */
    public Optional<TaskInfo> status(TaskId id) {
        lock();
        try {
            TaskEntry t = tasks.get(id.value());
            return t == null ? Optional.empty() : Optional.of(t.info());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the task to end and returns it; returns at once if it has.
     *
     * @throws NoSuchTaskException if the task is unknown
     * @throws TimeoutException    if it has not ended within {@code timeout}
     */
    public TaskInfo await(TaskId id, Duration timeout) throws InterruptedException, TimeoutException {
        TaskEntry t;
        lock();
        try {
            t = tasks.get(id.value());
        } finally {
            lock.unlock();
        }
        if (t == null) {
            throw new NoSuchTaskException(id);
        }
        try {
            return t.done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a task's completion never fails", e);
        } catch (TimeoutException e) {
            throw new TimeoutException("task " + id + " has not ended within " + timeout);
        }
    }

    /**
     * The known tasks in {@code status} (null: any), newest first, at most {@code limit}.
     *
     * @throws IllegalArgumentException if {@code limit} is not 1 to 10,000
     */
    public List<TaskInfo> list(TaskStatus status, int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("list limit must be 1 to 10000: " + limit);
        }
        List<TaskInfo> out = new ArrayList<>(Math.min(limit, 64));
        lock();
        try {
            for (TaskEntry t : tasks.descendingMap().values()) {
                if (status == null || t.status == status) {
                    out.add(t.info());
                    if (out.size() == limit) {
                        break;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        return out;
    }

    /**
     * {@code report} (the runtime's health) with this queue's stuck workers added: each is a problem, not live, and
     * makes a running runtime DEGRADED until its abandoned thread returns.
     */
    public HealthReport withStuckWorkers(HealthReport report) {
        return stuck.addTo(report, name -> runtime.lookup(name).map(AgentHandle::state).orElse(AgentState.STOPPED));
    }

    /** The queue at a glance. */
    public QueueStatus queueStatus() {
        lock();
        try {
            return new QueueStatus(pending, running, succeeded, failed, cancelled, timedOut, paused, capacity,
                    workers.size(), stuck.count(), stuck.abandoned(), stuck.late());
        } finally {
            lock.unlock();
        }
    }

    // ---- controlling ----

    /**
     * Cancels a task: a pending one leaves the queue; a running one ends now and its attempt is interrupted (its
     * worker takes another task once the attempt's thread returns, or is replaced after the interrupt grace); its
     * dependents end CANCELLED.
     *
     * @return false if it had already ended
     * @throws NoSuchTaskException if the task is unknown
     */
    public boolean cancel(TaskId id) {
        TaskEffects fx = new TaskEffects(this, runtime);
        lock();
        try {
            TaskEntry t = tasks.get(id.value());
            if (t == null) {
                throw new NoSuchTaskException(id);
            }
            if (t.status.isFinal()) {
                return false;
            }
            finish(t, TaskStatus.CANCELLED, "cancelled" + (t.status == TaskStatus.RUNNING ? " while running on "
                    + t.worker : ""), fx);
        } finally {
            lock.unlock();
        }
        fx.run();
        return true;
    }

    /** Holds pending tasks back: running ones go on, none starts until {@link #resume}. */
    public void pause() {
        lock();
        try {
            paused = true;
        } finally {
            lock.unlock();
        }
    }

    /** Lets pending tasks start again. */
    public void resume() {
        TaskEffects fx = new TaskEffects(this, runtime);
        lock();
        try {
            paused = false;
            for (WorkerSlot w : new ArrayList<>(workers)) {
                if (w.idle) {
                    offerWork(w, fx);
                }
            }
        } finally {
            lock.unlock();
        }
        fx.run();
    }

    // ---- workers ----

    /**
     * Spawns an agent named {@code agentName} that runs tasks named in {@code taskNames} (empty: any task) with
     * {@code worker}, one at a time.
     */
    public AgentHandle<?> spawnWorker(String agentName, Set<String> taskNames, TaskWorker worker) {
        WorkerSlot slot = new WorkerSlot(agentName, Set.copyOf(taskNames), Objects.requireNonNull(worker, "worker"),
                agentName, 0);
        return runtime.spawn(agentName, new WorkerAgent(this, slot));
    }

    /**
     * The worker's interrupted attempt {@code a} has not returned within the interrupt grace: unless it returns at
     * this moment, the worker is declared stuck (counted, in health, journalled), leaves the queue's workers for good,
     * and a fresh agent for the same task names takes its place. Called by the worker's agent, which then waits for
     * the abandoned thread and ends.
     *
     * @return false if the thread returned first: the worker goes on as usual
     */
    boolean workerStuck(WorkerSlot w, TaskAttempt a, String interrupted) {
        if (!stuck.declare(a, new StuckWorkers.Stuck(w.agent, a.entry.id, a.number, interrupted, interruptGrace,
                now()))) {
            return false;
        }
        lock();
        try {
            workers.remove(w);
            matching.setIdle(w, false);
            w.current = null; // its task has ended already (timeout or cancel): nothing goes back
        } finally {
            lock.unlock();
        }
        String replacement = spawnReplacement(w);
        stuck.replacedBy(a, replacement);
        events.task(EventType.TASK_WORKER_STUCK, w.agent, a.entry.id.toString(), "attempt " + a.number
                + " was interrupted (" + interrupted + ") and had not returned " + interruptGrace.toMillis()
                + " ms later; abandoned, replaced by " + replacement);
        return true;
    }

    /** The most names tried for a stuck worker's replacement (taken names are skipped). */
    private static final int REPLACEMENT_NAMES = 100;

    /** Spawns the agent that takes stuck {@code old}'s place; returns its name, or why there is none. */
    private String spawnReplacement(WorkerSlot old) {
        for (int g = old.generation + 1; g <= old.generation + REPLACEMENT_NAMES; g++) {
            String name = old.base + "~" + g;
            try {
                runtime.spawn(name, new WorkerAgent(this, new WorkerSlot(name, old.names, old.worker, old.base, g)));
                return name;
            } catch (AgentNameTakenException e) {
                // a name of that form is taken: try the next
            } catch (RuntimeException e) { // the runtime is stopping, or full
                return "no agent (the replacement could not be spawned: " + e.getMessage() + ")";
            }
        }
        return "no agent (names " + old.base + "~" + (old.generation + 1) + " to ~" + (old.generation
                + REPLACEMENT_NAMES) + " are all taken)";
    }

    /** An abandoned attempt's thread returned after its worker was declared stuck: its outcome is ignored. */
    void lateReturn(TaskAttempt a) {
        stuck.lateReturn(a);
    }

    /** The worker's agent is ready for work (it started, or finished an attempt). */
    void workerReady(WorkerSlot w) {
        TaskEffects fx = new TaskEffects(this, runtime);
        lock();
        try {
            workers.add(w);
            w.current = null;
            offerWork(w, fx);
        } finally {
            lock.unlock();
        }
        fx.run();
    }

    /** The worker's agent ended (for good or to restart): what it was given goes back to the queue. */
    void workerGone(WorkerSlot w) {
        TaskEffects fx = new TaskEffects(this, runtime);
        lock();
        try {
            workers.remove(w);
            matching.setIdle(w, false);
            TaskAttempt a = w.current;
            w.current = null;
            if (a != null) {
                putBack(a, "its worker " + w.agent + " ended", fx);
            }
        } finally {
            lock.unlock();
        }
        fx.run();
    }

    /**
     * An attempt ended: with {@code result} ({@code failure} null), with {@code failure}, or past its timeout. Ignored
     * if the task has moved on (it was cancelled meanwhile). A {@link Json} result deeper than {@link Json#MAX_DEPTH}
     * fails the attempt with a {@link JsonDepthException}: nothing could write it out.
     */
    void attemptEnded(TaskAttempt a, Val result, Throwable failure, boolean timedOutNow) {
        int depth = result instanceof Json j ? j.depth() : 0; // measured outside the lock
        if (failure == null && depth > Json.MAX_DEPTH) { // a result nobody could list or write out fails its attempt
            failure = new JsonDepthException("the result of attempt " + a.number + " of task " + a.entry.id, depth);
            result = null;
        }
        TaskEffects fx = new TaskEffects(this, runtime);
        lock();
        try {
            TaskEntry t = a.entry;
            if (t.attempt != a || t.status != TaskStatus.RUNNING) {
                return;
            }
            if (timedOutNow) {
                finish(t, TaskStatus.TIMEOUT, "attempt " + a.number + " ran past its timeout of "
                        + t.request.timeout(), fx);
            } else if (failure == null) {
                t.result = result;
                finish(t, TaskStatus.SUCCEEDED, "", fx);
            } else {
                t.error = StackTraces.of(failure);
                if (a.number <= t.request.maxRetries()) {
                    retryLater(t, a, failure, fx);
                } else {
                    finish(t, TaskStatus.FAILED, "attempt " + a.number + " of " + (t.request.maxRetries() + 1)
                            + " failed: " + failure, fx);
                }
            }
        } finally {
            lock.unlock();
        }
        fx.run();
    }

    void progress(TaskAttempt a, TaskProgress p) {
        lock();
        try {
            if (a.entry.attempt == a) {
                a.entry.progress.add(p);
            }
        } finally {
            lock.unlock();
        }
    }

    void output(TaskAttempt a, String line) {
        lock();
        try {
            if (a.entry.attempt == a) {
                a.entry.output().append(line).append('\n');
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- the moves (under the lock) ----

    /**
     * Whether a ready task may start an attempt now: not while paused, and never once the runtime has begun to stop.
     * A stop interrupts the workers one by one, and the attempt a stopped worker gives back would otherwise start
     * again on a worker not yet stopped: an attempt run during the stop, beyond the task's retries if the one given
     * back was its last. It stays pending instead, for the journal to queue again on the next start.
     */
    private boolean startsAttempts() {
        return !paused && !CoreAccess.get().isStopped(runtime);
    }

    private void makeReady(TaskEntry t, TaskEffects fx) {
        t.reason = "";
        WorkerSlot w = startsAttempts() ? matching.idleWorkerFor(t.request.name()) : null;
        if (w != null) {
            assign(w, t, fx);
        } else {
            matching.addReady(t);
        }
    }

    /** Gives {@code w} the first ready task it takes, or marks it idle. */
    private void offerWork(WorkerSlot w, TaskEffects fx) {
        TaskEntry t = startsAttempts() ? matching.takeFor(w) : null;
        if (t == null) {
            matching.setIdle(w, true);
        } else {
            assign(w, t, fx);
        }
    }

    private void assign(WorkerSlot w, TaskEntry t, TaskEffects fx) {
        matching.setIdle(w, false);
        t.ready = false;
        t.status = TaskStatus.RUNNING;
        pending--;
        running++;
        t.attempts++;
        t.worker = w.agent;
        t.startedAt = now();
        TaskAttempt a = new TaskAttempt(this, t, t.attempts, w.agent);
        t.attempt = a;
        w.current = a;
        events.task(EventType.TASK_STARTED, w.agent, t.id.toString(), "attempt " + a.number);
        fx.assign(w, a);
    }

    /** A running attempt that never ran to its end on its worker goes back to the queue, as a new attempt later. */
    private void putBack(TaskAttempt a, String why, TaskEffects fx) {
        TaskEntry t = a.entry;
        if (t.attempt != a || t.status != TaskStatus.RUNNING) {
            return;
        }
        a.abandon();
        t.attempt = null;
        t.status = TaskStatus.PENDING;
        running--;
        pending++;
        t.reason = "put back: " + why;
        makeReady(t, fx);
    }

    private void retryLater(TaskEntry t, TaskAttempt a, Throwable failure, TaskEffects fx) {
        t.attempt = null;
        t.status = TaskStatus.PENDING;
        running--;
        pending++;
        Duration wait = retryBackoff.delay(a.number,
                CoreAccess.get().random(runtime, RandomStreams.Consumer.TASK_RETRY));
        t.reason = "attempt " + a.number + " failed (" + failure + "); retrying in " + wait.toMillis() + " ms";
        events.task(EventType.TASK_RETRYING, t.worker, t.id.toString(), t.reason);
        fx.later(wait, () -> {
            TaskEffects later = new TaskEffects(this, runtime);
            lock();
            try {
                if (t.status == TaskStatus.PENDING && t.attempt == null && !t.ready) {
                    makeReady(t, later);
                }
            } finally {
                lock.unlock();
            }
            later.run();
        });
    }

    /** Ends {@code first} with {@code status}, and every task that waited on it for good, down the graph. */
    void finish(TaskEntry first, TaskStatus status, String reason, TaskEffects fx) {
        record Ending(TaskEntry task, TaskStatus status, String reason) {
        }
        ArrayDeque<Ending> toEnd = new ArrayDeque<>();
        toEnd.add(new Ending(first, status, reason));
        while (!toEnd.isEmpty()) {
            Ending e = toEnd.poll();
            TaskEntry t = e.task();
            TaskStatus s = e.status();
            String why = e.reason();
            if (t.status.isFinal()) {
                continue;
            }
            if (t.status == TaskStatus.RUNNING) {
                running--;
                if (t.attempt != null) {
                    t.attempt.abandon();
                    fx.release(t.attempt);
                    t.attempt = null;
                }
            } else {
                pending--;
                t.ready = false;
            }
            t.status = s;
            t.reason = why;
            t.finishedAt = now();
            count(s);
            remember(t);
            String worker = t.worker;
            fx.journal(() -> events.taskAlways(s.endEvent(), worker, t.id.toString(), why.isEmpty()
                    ? t.request.name() : why));
            fx.complete(t);
            if (t.dependents == null) {
                continue;
            }
            for (TaskEntry d : t.dependents) {
                if (d.status != TaskStatus.PENDING) {
                    continue;
                }
                if (s == TaskStatus.SUCCEEDED) {
                    if (--d.unmet == 0) {
                        makeReady(d, fx);
                    } else {
                        d.reason = waiting(d);
                    }
                } else {
                    toEnd.add(new Ending(d, TaskStatus.CANCELLED, notRun(t)));
                }
            }
            t.dependents = null;
        }
    }

    private void count(TaskStatus s) {
        switch (s) {
            case SUCCEEDED -> succeeded++;
            case FAILED -> failed++;
            case TIMEOUT -> timedOut++;
            case CANCELLED -> cancelled++;
            default -> throw new IllegalStateException(s + " is not final");
        }
    }


    /**
     * Keeps an ended task for status, list and await: at most {@link #retention} of them, and at most
     * {@link #retainedInputBytes} of their inputs; past that, the oldest one's input is let go and its record stays.
     */
    void remember(TaskEntry t) {
        finished.add(t);
        if (t.holdsInput()) {
            finishedWithInput.add(t);
            heldInputBytes += t.inputBytes;
        }
        while (finished.size() > retention) {
            forgetOldest();
        }
        while (heldInputBytes > retainedInputBytes) {
            TaskEntry old = finishedWithInput.poll();
            heldInputBytes -= old.inputBytes;
            old.forgetInput();
        }
    }

    /** Forgets the task that ended first of those remembered. */
    void forgetOldest() {
        TaskEntry old = finished.poll();
        tasks.remove(old.id.value());
        if (old.holdsInput()) { // then it is the first of those holding one, too: both are in the order they ended
            finishedWithInput.poll();
            heldInputBytes -= old.inputBytes;
        }
    }

    /** Now on the runtime's clock: when a task's step happened. */
    Instant now() {
        return runtime.clock().instant();
    }
}
