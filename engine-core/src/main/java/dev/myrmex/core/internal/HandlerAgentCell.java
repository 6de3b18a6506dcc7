package dev.myrmex.core.internal;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.AgentState;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.LifecycleHooks;
import dev.myrmex.core.Message;
import dev.myrmex.core.MessageHandler;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.scheduling.AgentSchedule;
import dev.myrmex.core.spi.Endpoint;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A handler-style agent: no thread while idle. The first message into an empty mailbox schedules a <em>turn</em>; a
 * turn hands queued messages to the handler one by one, up to {@link #TURN_BUDGET}, then ends, or makes room for
 * others and continues later. A non-blocking agent's turns run straight on the carrier threads (like a Pekko actor on
 * its dispatcher); a blocking-friendly agent's turns each run on a virtual thread started for the turn.
 *
 * <h2>Concurrency</h2>
 * <ul>
 *   <li>Producers: any thread delivers (the mailbox is MPSC) and, through {@link #messageArrived}, tries to move
 *       {@link #status} from IDLE to SCHEDULED; the one that wins submits a turn. Control requests (pause, resume,
 *       stop) do the same.</li>
 *   <li>Consumer: the turn, only while the status is SCHEDULED, so at most one turn runs at a time and each turn
 *       sees everything the previous one wrote (the CAS and the volatile store that releases it order them).</li>
 *   <li>No lost wake-up: a sender enqueues (a volatile CAS on the queue) and then reads the status; a turn that runs
 *       out of mail stores IDLE (volatile) and then checks the queue. One of the two sees the other, so a message is
 *       never left in the mailbox of an idle agent.</li>
 *   <li>Under a scheduling policy ({@link Pacing}), turns go through the policy's queue, and each message is admitted
 *       first. One not admitted is {@link #held} (only turns write it; control requests read it to decide whether
 *       there is work). A turn told to wait keeps SCHEDULED and sets {@link #delayedTurn}; the timer, or a control
 *       request that must be seen now, clears it by CAS and submits the turn: exactly one of them does.</li>
 *   <li>A turn that lingers ({@link #LINGER}) or spent its budget keeps SCHEDULED and re-submits itself, like a
 *       yield: senders meanwhile skip the CAS, and the next turn sees their messages.</li>
 *   <li>The end of an incarnation: the turn that ends it keeps the status SCHEDULED, so no turn runs until a restart
 *       submits the first turn of the next incarnation (which still holds SCHEDULED), or for good after the agent's
 *       end.</li>
 *   <li>Backpressure: a non-blocking agent's sends go through {@link PendingSends} once a mailbox has been full or
 *       pressured for it. A turn that ends muted keeps SCHEDULED and parks there; the last unmute (or a stop) submits
 *       the next turn, which first sends what was kept.</li>
 * </ul>
 *
 * @param <M> the messages the agent takes
 */
public final class HandlerAgentCell<M extends Sendable> extends AgentCell<M>
        implements Runnable, Mailbox.ArrivalListener {
    /**
     * Messages a turn takes before it makes room for other work: large enough to amortise the scheduling of a turn
     * on a busy agent, small enough that one flooded agent does not hold a carrier for long.
     */
    static final int TURN_BUDGET = 64;
    /**
     * Whether a non-blocking turn whose last message came from outside the runtime (no sending agent) lingers: it
     * goes once more to the back of its carrier's queue instead of going idle, so that the outside thread's next
     * message finds it scheduled and costs that thread no turn, no global-queue submission and no wake-up. A turn that
     * takes nothing never lingers, so an idle agent costs one extra look. Measured in docs/benchmarks.md.
     */
    static final boolean LINGER = !Boolean.getBoolean("myrmex.core.noLinger");
    private static final int IDLE = 0;
    private static final int SCHEDULED = 1;
    private static final VarHandle STATUS;
    private static final VarHandle DELAYED;

    static {
        try {
            STATUS = MethodHandles.lookup().findVarHandle(HandlerAgentCell.class, "status", int.class);
            DELAYED = MethodHandles.lookup().findVarHandle(HandlerAgentCell.class, "delayedTurn", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What every incarnation runs ({@link dev.myrmex.core.Behaviors#setup} makes a fresh one each time). */
    private final Behavior<M> behavior;
    private MessageHandler<M> handler; // the running incarnation's: read and written by turns only
    private final boolean nonBlocking;
    /**
     * The next turn is an incarnation's first: it runs the start or restart hook, and after a restart a new handler.
     */
    private boolean incarnationStarts = true; // turns only (and the spawn or restart that submits the first one)
    private final Executor turns;
    private final HandlerContext context = new HandlerContext();
    private volatile int status;
    private volatile Thread turnThread; // the virtual thread of the running turn (blocking-friendly agents only)
    /** The agent's scheduling policy; null: none, turns go straight to the carriers. */
    private final Pacing pacing;
    /**
     * A non-blocking agent's next turn waits for its policy (a rate limit) on the timer; the status stays SCHEDULED.
     * Whoever clears it by CAS, the timer or a control request that must not wait, submits that turn.
     */
    private volatile boolean delayedTurn;
    /** A blocking-friendly agent's turn is parked by its policy: waiting, not stuck. */
    private volatile boolean pausedInTurn;
    /**
     * Made by the first turn that met a full or pressured mailbox (a non-blocking agent's only); read by control
     * requests and unmutes on other threads, hence volatile.
     */
    private volatile PendingSends pendingSends;

    /**
     * @param turns  where turns run: the scheduler's carrier executor (or the policy's) for a non-blocking handler,
     *               or an executor that starts a virtual thread per turn
     * @param pacing the agent's scheduling policy, whose lane {@code turns} submits to; null for none
     */
    public HandlerAgentCell(AgentRuntime runtime, String name, Mailbox<M> mailbox, Behavior<M> behavior,
                            HandlerBehavior<M> first, Consumer<AgentCell<?>> onEnd, Wiring wiring, Executor turns,
                            Pacing pacing) {
        super(runtime, name, mailbox, onEnd, wiring);
        this.pacing = pacing;
        this.behavior = behavior;
        this.handler = first.handler();
        this.nonBlocking = first.nonBlocking();
        this.turns = turns;
        mailbox.bindListener(this);
    }

    @Override
    public void start() {
        state = AgentState.RUNNING; // not yet published: no other thread can see or change the state
        if (hooks() == LifecycleHooks.NONE) {
            incarnationStarts = false; // nothing to run before the first message
            scheduleIfWanted();
        } else if (STATUS.compareAndSet(this, IDLE, SCHEDULED)) {
            turns.execute(this); // a turn now, to run the start hook
        }
    }

    @Override
    void launch() {
        incarnationStarts = true;
        turns.execute(this); // the status is still SCHEDULED, held since the last incarnation's end
    }

    @Override
    public boolean mayBlock() {
        return !nonBlocking;
    }

    @Override
    public boolean isWaitingForMail() {
        return status == IDLE || delayedTurn || pausedInTurn;
    }

    @Override
    public long heartbeats() {
        return context.beats();
    }

    @Override
    void interruptBehavior() {
        Thread t = turnThread; // null for a non-blocking handler: its carrier is shared and is never interrupted
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public <T extends Sendable> boolean sendWithoutWaiting(Endpoint<T> to, Message<T> message)
            throws InterruptedException {
        PendingSends ps = pendingSends;
        if (ps != null) {
            return ps.send(to, message);
        }
        Endpoint.Offer o = to.offerNow(message);
        if (o == Endpoint.Offer.ACCEPTED) {
            return true; // the usual case: nothing to keep, nobody to mute
        }
        if (o == Endpoint.Offer.DEAD) {
            return false;
        }
        ps = new PendingSends(this);
        pendingSends = ps;
        return ps.afterOffer(to, message, o);
    }

    /** Whether this agent is overloaded itself (see {@link Mailbox#overloaded}): muted, it then keeps running. */
    boolean overloaded() {
        return mailbox.overloaded();
    }

    int mailboxCapacity() {
        return mailbox.settings().capacity();
    }

    /** Muted in this turn: take no more messages in it. */
    void endTurnAfterThisMessage() {
        context.muted = true;
    }

    /** The last mute ended (or a stop must be seen): the parked agent's next turn. Status is still SCHEDULED. */
    void resumeAfterMute() {
        turns.execute(this);
    }

    /** Runs {@code task} after {@code nanos} on the runtime's timer; at once if the runtime no longer runs one. */
    void afterTimeout(Runnable task, long nanos) {
        try {
            CoreAccess.get().schedule(runtime, task, java.time.Duration.ofNanos(nanos));
        } catch (IllegalStateException stopping) {
            task.run();
        }
    }

    /** Sends were kept and no mute is left to bring a turn: one turn, if none is scheduled or running. */
    void wantTurn() {
        scheduleIfWanted();
    }

    @Override
    void sendsAtEnd() {
        PendingSends ps = pendingSends;
        if (ps != null) {
            ps.agentEnded();
        }
    }

    @Override
    public void messageArrived() {
        if (status == IDLE && !paused && STATUS.compareAndSet(this, IDLE, SCHEDULED)) {
            turns.execute(this);
        }
    }

    @Override
    public void becameOverloaded() {
        PendingSends ps = pendingSends;
        if (ps != null) {
            ps.receiverOverloaded(); // parked while muted: it runs again while it has room to keep sends
        }
    }

    @Override
    void onControl(boolean interrupt) {
        if (interrupt) {
            Thread t = turnThread;
            if (t != null) {
                t.interrupt(); // an immediate stop of a blocking-friendly handler that is blocked right now
            }
        }
        PendingSends ps = pendingSends;
        if (ps != null && (stopRequested || haltRequested)) {
            ps.wake(); // a muted agent must still see its stop
        }
        if (pacing != null) {
            Thread t = turnThread;
            if (pausedInTurn && t != null) {
                LockSupport.unpark(t); // out of its policy's wait: the turn looks at the flags again
            }
            endDelay(); // a turn waiting on the timer runs now, to see the request
        }
        scheduleIfWanted();
    }

    @Override
    void choreArrived() {
        scheduleIfWanted(); // an idle agent gets a turn for it; a running one does it at the end of its turn
    }

    /** Schedules a turn if there is something for one to do and none is scheduled or running. */
    private void scheduleIfWanted() {
        PendingSends ps = pendingSends;
        if ((stopRequested || haltRequested || chorePending() || !paused && (hasMail() || ps != null && ps.hasKept()))
                && STATUS.compareAndSet(this, IDLE, SCHEDULED)) {
            turns.execute(this);
        }
    }

    /** Ends a delayed turn's wait, once: from the timer or a control request. */
    private void endDelay() {
        if (delayedTurn && DELAYED.compareAndSet(this, true, false)) {
            turns.execute(this);
        }
    }

    /** One turn. Runs only while this cell's status is SCHEDULED, so never twice at once. */
    @Override
    public void run() {
        if (nonBlocking) {
            ON_CARRIER.set(this);
            try {
                turn();
            } finally {
                ON_CARRIER.set(null);
            }
        } else {
            turnThread = Thread.currentThread();
            try {
                ScopedValue.where(ON_VIRTUAL, this).run(this::turn);
            } finally {
                turnThread = null;
            }
        }
    }

    private void turn() {
        if (pacing != null) {
            pacedTurn();
            return;
        }
        long taken = 0;
        int budget = TURN_BUDGET;
        Throwable failure = null;
        boolean budgetSpent = false;
        Message<M> m = null; // the one being processed: dead-lettered with the cause if the handler throws
        HandlerContext ctx = context;
        int untilSample = ctx.untilSample; // per-message bookkeeping in locals, stored once per turn
        boolean fromOutside = false; // the last message had no sending agent
        try {
            startTurn();
            while (!stopRequested && !paused && !haltRequested && !ctx.muted) {
                if (budget-- == 0) {
                    if (nonBlocking) {
                        budgetSpent = true;
                        break;
                    }
                    ctx.beats++; // a long turn of a flooded agent is alive: tell the health monitor
                    if (chorePending()) {
                        runChore();
                    }
                    Thread.yield(); // a virtual thread of our own: let the others run, then carry on
                    budget = TURN_BUDGET - 1;
                }
                m = mailbox.poll();
                if (m == null) {
                    mailbox.ranEmpty();
                    break;
                }
                taken++;
                fromOutside = m.sender() == null;
                ctx.current = m; // what a typed reply answers; cleared when the turn ends
                if (--untilSample == 0) { // as handle() does, spelled out on the hottest loop
                    untilSample = AgentStats.SAMPLE_EVERY;
                    long started = sampleBegin(m, received + taken);
                    handler.handle(ctx, m);
                    sampleEnd(started);
                } else {
                    handler.handle(ctx, m);
                }
                m = null;
            }
        } catch (Throwable t) {
            failure = t;
        }
        finishTurn(taken, untilSample, failure, m,
                budgetSpent || LINGER && nonBlocking && fromOutside ? AgentSchedule.YIELD : 0);
    }

    /** Hands {@code m}, the turn's {@code taken}-th, to the handler, timing one in 32; returns the new countdown. */
    private int handle(HandlerContext ctx, Message<M> m, int untilSample, long taken) throws Exception {
        ctx.current = m;
        if (--untilSample != 0) {
            handler.handle(ctx, m);
            return untilSample;
        }
        long started = sampleBegin(m, received + taken);
        handler.handle(ctx, m);
        sampleEnd(started);
        return AgentStats.SAMPLE_EVERY;
    }

    /**
     * A turn under a scheduling policy: every message is admitted by the agent's schedule first. One it does not
     * admit is held (next, ahead of the mailbox); a non-blocking agent's turn then ends, to be submitted again through
     * the policy's queue (a yield) or after the wait it asked for; a blocking-friendly agent's turn, on a virtual
     * thread of its own, yields or parks right there and carries on.
     */
    private void pacedTurn() {
        long taken = 0;
        long next = 0;
        Throwable failure = null;
        Message<M> m = null;
        HandlerContext ctx = context;
        int untilSample = ctx.untilSample;
        try {
            startTurn();
            while (!stopRequested && !paused && !haltRequested && !ctx.muted) {
                m = held;
                if (m != null) {
                    held = null;
                } else if ((m = mailbox.poll()) == null) {
                    mailbox.ranEmpty();
                    break;
                }
                long decision = pacing.admit();
                if (decision != AgentSchedule.GO) {
                    held = m;
                    m = null;
                    if (nonBlocking) {
                        next = decision;
                        break;
                    }
                    received = received + taken; // the turn may go on for long: keep the counts current
                    ctx.beats += taken + 1;
                    taken = 0;
                    boolean runGoesOn;
                    pausedInTurn = true;
                    try {
                        runGoesOn = pacing.pause(decision);
                    } finally {
                        pausedInTurn = false;
                    }
                    if (!runGoesOn) {
                        continue;
                    }
                    m = held; // the JDK declined the yield: take it now rather than ask again and spin
                    held = null;
                }
                taken++;
                untilSample = handle(ctx, m, untilSample, taken);
                m = null;
            }
        } catch (Throwable t) {
            failure = t;
        }
        finishTurn(taken, untilSample, failure, m, next);
    }

    /**
     * The end of every turn: the counts, then what follows. {@code next} is 0 when the turn ran out of work (or was
     * paused), {@link AgentSchedule#YIELD} when it should go on after the others, or a wait in nanoseconds.
     */
    private void finishTurn(long taken, int untilSample, Throwable failure, Message<M> failedOn, long next) {
        if (failure == null) {
            failure = stuckFinding(); // found stuck during this turn: its restart policy decides, now it has returned
        }
        if (failure == null && chorePending()) {
            runChore(); // before a stop ends the agent: a checkpoint asked for first sees the last message's state
        }
        HandlerContext ctx = context;
        ctx.untilSample = (byte) untilSample; // at most SAMPLE_EVERY
        ctx.muted = false; // the turn is over; whether it parks is decided below
        ctx.current = null; // nor is a message held past its turn
        ctx.beats += taken + 1; // a turn ran: a heartbeat even if it took nothing
        if (taken > 0) {
            received = received + taken; // one writer: the turn that holds SCHEDULED
        }
        if (stopRequested || haltRequested || failure != null) {
            incarnationEnded(failure, failure == null ? null : failedOn); // keeps SCHEDULED: no turn until a restart
            return;
        }
        PendingSends ps = pendingSends;
        if (ps != null && (next = afterSends(ps, next)) == PARKED_BY_MUTE) {
            return; // still SCHEDULED: the last unmute submits the next turn
        }
        if (next < 0) {
            turns.execute(this); // still SCHEDULED; to the back of the carrier's (or the policy's) queue
            return;
        }
        if (next > 0) {
            delayedTurn = true; // still SCHEDULED; before the timer can fire, so its CAS finds it set
            pacing.runAfter(next, this::endDelay);
            return;
        }
        status = IDLE;
        scheduleIfWanted(); // mail (or a stop) that came after our last look, whose sender saw us SCHEDULED
    }

    /** {@link #afterSends}: the turn parked, muted. No schedule's answer (a wait or a yield) is this value. */
    private static final long PARKED_BY_MUTE = Long.MIN_VALUE;

    /**
     * The end of a turn of an agent that has met backpressure (off the hot path, which then stays small): parks it if
     * it is muted and may not run while muted ({@link #PARKED_BY_MUTE}), else what follows the turn.
     */
    private long afterSends(PendingSends ps, long next) {
        if (ps.muted() && !ps.runsWhileMuted() && ps.park()) {
            return PARKED_BY_MUTE;
        }
        if (next == 0 && ps.hasKept()) {
            return AgentSchedule.YIELD; // nothing mutes it any more: the next turn sends what was kept
        }
        return next;
    }

    /** What every turn does first: the incarnation's start if it is the first turn, then a pending chore. */
    private void startTurn() throws InterruptedException {
        if (incarnationStarts) {
            beginIncarnation();
        }
        if (chorePending()) {
            runChore();
        }
        PendingSends ps = pendingSends;
        if (ps != null && ps.hasKept()) {
            ps.flush(); // what waited goes first; muted again, the turn takes no messages
        }
    }

    private void beginIncarnation() {
        incarnationStarts = false;
        if (restarts() > 0) {
            if (!(SetupBehavior.make(behavior) instanceof HandlerBehavior<M> fresh)
                    || fresh.nonBlocking() != nonBlocking) {
                throw new IllegalStateException("agent " + name + " was spawned with a " + (nonBlocking
                        ? "non-blocking" : "blocking-friendly") + " handler; its setup must make the same kind again");
            }
            handler = fresh.handler();
        }
        incarnationBegins();
    }

    private final class HandlerContext extends Context {
        /** Muted in the running turn: it takes no more messages. The turns' only. */
        boolean muted;
    }
}
