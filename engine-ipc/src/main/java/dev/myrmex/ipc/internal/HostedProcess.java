package dev.myrmex.ipc.internal;

import dev.myrmex.core.AgentContext;
import dev.myrmex.core.AgentHandle;
import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.AgentStoppingException;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.DeadLetter;
import dev.myrmex.core.DeadLetters;
import dev.myrmex.core.DirectContext;
import dev.myrmex.core.Message;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.host.HostedAgent;
import dev.myrmex.core.metrics.AgentMetrics;
import dev.myrmex.core.spi.Hosting;
import dev.myrmex.core.time.RuntimeClock;
import dev.myrmex.ipc.ChildProcessException;
import dev.myrmex.ipc.FrameDecodeException;
import dev.myrmex.ipc.MessageCodec;
import dev.myrmex.ipc.OutOfProcess;
import dev.myrmex.sched.SpinLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * One out-of-process agent, parent side: the channel, the senders' way into it, and the watcher that runs each child
 * incarnation (the in-process agent's behavior; see {@link HostedAgent}).
 *
 * <h2>Threads and order</h2>
 * Senders (any thread) write frames into the ring to the child; the ring orders them, so each sender's messages
 * arrive in its order. The watcher (the agent's virtual thread) starts a child and a {@link ParentReader}, then
 * watches: the process's exit, the heartbeat counter, and the agent's own stop. After the child has exited the watcher
 * becomes the ring's consumer: it turns what the child never took into dead letters, under {@link #drainLock},
 * which {@link #ended} and a sender racing with it also take.
 *
 * <h2>No message vanishes at the end</h2>
 * A sender claims its record (a CAS on the ring's tail), writes it, then reads {@link #closed}; {@link #ended} sets
 * {@code closed}, reads the tail, then drains up to it, waiting for a claim below it to be committed. The CAS and the
 * volatile accesses are totally ordered: either the drain's read of the tail sees the claim (and the drain waits for
 * the frame), or the claim comes after it, and so after {@code closed} was set, and the sender sees {@code closed} and
 * drains its frame itself. Every drain first skips what the last child consumed ({@link Channel#consumedUpTo}) and
 * reads through a {@link RingReader}, which goes on past the padding at the end of the buffer.
 *
 * <h2>A corrupt channel</h2>
 * The {@link ParentReader} refuses the first record or frame that is not what this protocol writes and wakes the
 * watcher, which kills the child and fails the agent ({@code CORRUPT_CHANNEL}); so does a record the child leaves
 * claimed and uncommitted for half the heartbeat timeout while it keeps beating.
 */
public final class HostedProcess<M extends Sendable> implements HostedAgent<M>, Outbound {
    /** How long after SIGTERM a child gets before SIGKILL. */
    static final Duration KILL_AFTER = Duration.ofSeconds(5);
    /** How long a new child may take to beat for the first time (a JVM start on a loaded machine). */
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long a drain waits for a sender of this process between its claim and its commit (microseconds, normally):
     * a claim older than this was not ours but forged by the child.
     */
    static final Duration SENDER_COMMIT_WAIT = Duration.ofSeconds(5);
    private static final AtomicLong CHANNELS = new AtomicLong();

    private final AgentRuntime runtime;
    private final String name;
    private final String behaviorSpec;
    private final OutOfProcess spec;
    private final MessageCodec codec;
    private final Duration blockTimeout;
    private final Channel channel;
    private final Path log;
    private final AddressBook book;
    private final DeadLetters deadLetters;
    private final SpinLock drainLock = new SpinLock();
    private final LongAdder written = new LongAdder();
    /** Messages taken by earlier children of this agent (the current child's count is its TAKEN counter). */
    private final AtomicLong takenBefore = new AtomicLong();
    /** Frames drained out of the ring to the child as dead letters. */
    private final AtomicLong drained = new AtomicLong();
    private volatile boolean closed;
    private volatile boolean paused;
    private volatile ChildProcess process;
    private volatile ParentReader reader; // the current incarnation's, or null
    private volatile long childStartedAt;
    private volatile long resumedAt;

    public HostedProcess(AgentRuntime runtime, String name, String behaviorSpec, OutOfProcess spec,
                         MessageCodec codec, Duration blockTimeout, Path directory) throws IOException {
        this.runtime = runtime;
        this.name = name;
        this.behaviorSpec = behaviorSpec;
        this.spec = spec;
        this.codec = codec;
        this.blockTimeout = blockTimeout;
        String file = ChannelFiles.baseName(name, ProcessHandle.current().pid(), CHANNELS.incrementAndGet());
        this.channel = Channel.create(directory.resolve(file + ".chan"), spec.ringCapacity());
        this.log = directory.resolve(file + ".log");
        this.book = new AddressBook(runtime, Addresses.Side.PARENT, name, this);
        this.deadLetters = Hosting.get().deadLetters(runtime);
    }

    // ---- senders ----

    @Override
    public boolean deliver(Message<M> message, boolean mayWait) throws InterruptedException {
        return send(message, Addresses.HOSTED, mayWait);
    }

    @Override
    public boolean send(Message<? extends Sendable> message, long target, boolean mayWait)
            throws InterruptedException {
        if (closed) {
            deadLetters.publish(new DeadLetter(message, book.recipientAt(target), DeadLetter.Reason.RECIPIENT_STOPPED));
            return false;
        }
        RingBuffer ring = channel.toChild();
        long sender = message.sender() == null ? Addresses.NONE : book.addressOf(message.sender());
        if (!RingSender.write(ring, message, sender, target, codec, book, mayWait, blockTimeout.toNanos(),
                () -> closed, "out-of-process agent " + name)) {
            deadLetters.publish(new DeadLetter(message, book.recipientAt(target), DeadLetter.Reason.RECIPIENT_STOPPED));
            return false;
        }
        written.increment();
        if (closed) { // ended() may have drained before this frame landed: see the class comment
            drain(DeadLetter.Reason.RECIPIENT_STOPPED);
        }
        return true;
    }

    @Override
    public boolean bounce(long target, DeadLetter.Reason reason, String causeText) {
        // a bounce that lands after the child ended is drained with the rest, unread: no ask of that child is left
        return !closed && Frames.writeBounced(channel.toChild(), target, reason, causeText);
    }

    /**
     * Turns every frame in the ring to the child into a dead letter; only while no child consumes it. It first skips
     * what the last child consumed but may not have released ({@link Channel#consumedUpTo}: it died in between), then
     * reads through a {@link RingReader}, so it goes on past the padding at the end of the buffer until no committed
     * record is left (up to the tail as it stands when it starts, waiting for a sender between its claim and commit).
     *
     * @return null, or why the ring could not be read to its end (then the rest was discarded): a dead child may have
     *         written over it
     */
    private FrameDecodeException drain(DeadLetter.Reason reason) {
        drainLock.lock();
        try {
            RingReader r = new RingReader(channel.toChild());
            try {
                long consumed = channel.consumedUpTo();
                if (consumed > r.head()) {
                    r.skipTo(consumed);
                }
                r.drain((type, buffer, index, length) -> {
                    if (type != FrameDescriptor.BOUNCED) { // a bounce was never a written message: not in the depth
                        drained.incrementAndGet();
                    }
                    Frames.Frame f = Frames.read(type, buffer, index, length, codec, book);
                    if (f.message() != null) {
                        deadLetters.publish(new DeadLetter(f.message(), book.recipientAt(f.target()), reason));
                    }
                }, SENDER_COMMIT_WAIT.toNanos());
                return null;
            } catch (FrameDecodeException e) {
                long bytes = r.discardRest();
                return new FrameDecodeException("the ring to the child is corrupt: " + e.getMessage() + "; "
                        + (bytes < 0 ? "its positions are forged, it cannot be reset"
                        : bytes + " bytes in it were discarded unread"), e);
            }
        } finally {
            drainLock.unlock();
        }
    }

    @Override
    public boolean pollReplies() {
        ParentReader r = reader;
        return r != null && r.help();
    }

    // ---- lifecycle ----

    @Override
    public Behavior<M> watcher() {
        return this::runIncarnation;
    }

    private void runIncarnation(DirectContext<M> ctx) throws Exception {
        book.bindHosted(ctx.self());
        AgentHandle<?> handle = runtime.lookup(name).orElseThrow();
        channel.resetForNewChild();
        long logFrom = Files.exists(log) ? Files.size(log) : 0; // the log is appended to: this child's starts here
        ChildProcess p;
        try {
            p = ChildLauncher.start(spec, channel.file(), name, behaviorSpec, blockTimeout.toMillis(), log);
        } catch (IOException e) {
            throw new ChildProcessException(ChildProcessException.Reason.START_FAILED, -1,
                    "out-of-process agent " + name + " could not start its child: " + e.getMessage());
        }
        process = p;
        childStartedAt = RuntimeClock.system().nanoTime();
        if (paused) {
            p.stop();
        }
        Thread watcher = Thread.currentThread();
        ParentReader reader = new ParentReader(this, channel.toParent(), codec, book, deadLetters, name,
                () -> LockSupport.unpark(watcher));
        reader.start();
        this.reader = reader;
        p.onExit().thenRun(() -> LockSupport.unpark(watcher));
        long check = Math.max(10, spec.heartbeatTimeout().toMillis() / 10);
        long stallAllowed = spec.heartbeatTimeout().toNanos() / 2;
        long beat = 0;
        long beatAt = RuntimeClock.system().nanoTime();
        long stallSeen = 0; // the reader's blockedSince() last seen, and the heartbeat then
        long stallBeat = 0;
        boolean noHeartbeat = false;
        try {
            while (p.isAlive()) {
                long b = channel.counter(Counter.CHILD_HEARTBEAT).get();
                long now = RuntimeClock.system().nanoTime();
                // Until its first beat a child is starting its JVM, which a loaded machine can take seconds over.
                long allowed = b == 0 ? STARTUP_TIMEOUT.toNanos() : spec.heartbeatTimeout().toNanos();
                if (b != beat || paused) {
                    beat = b;
                    beatAt = now;
                } else if (now - Math.max(beatAt, resumedAt) > allowed) {
                    noHeartbeat = true;
                    p.destroyForcibly();
                    p.waitFor();
                    break;
                }
                long stall = reader.blockedSince();
                if (stall != stallSeen) {
                    stallSeen = stall;
                    stallBeat = b;
                } else if (stall != 0 && !paused && b - stallBeat >= 2
                        && now - Math.max(stall, resumedAt) > stallAllowed) {
                    // The child kept beating while its head record stayed claimed and uncommitted: forged.
                    reader.corrupt(new FrameDecodeException("corrupt ring: a record was claimed and not committed"
                            + " for " + TimeUnit.NANOSECONDS.toMillis(now - stall) + " ms while the child ran"));
                }
                if (reader.corruption() != null) {
                    p.destroyForcibly();
                    p.waitFor();
                    break;
                }
                if (paused && !handle.state().isEnding()) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(check));
                } else {
                    ctx.receive(Duration.ofMillis(check)); // throws when the agent is stopped; no mail ever comes
                }
            }
        } catch (AgentStoppingException | InterruptedException stop) {
            boolean immediate = stop instanceof InterruptedException || Thread.interrupted();
            stopChild(p, immediate);
            end(p, reader, ctx, true, false, logFrom);
            throw stop;
        }
        end(p, reader, ctx, false, noHeartbeat, logFrom);
    }

    /** Graceful: ask, wait the grace, SIGTERM, wait 5 s, SIGKILL. Immediate: SIGKILL. Returns once it exited. */
    private void stopChild(ChildProcess p, boolean immediate) throws InterruptedException {
        Thread.interrupted(); // the waits below must not be cut short by the stop's own interrupt
        p.cont(); // a paused child must be able to act on the stop
        if (!immediate) {
            channel.counter(Counter.STOP_REQUESTED).setRelease(1);
            if (p.waitFor(spec.stopGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            p.destroy(); // SIGTERM
            if (p.waitFor(KILL_AFTER.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        p.destroyForcibly(); // SIGKILL
        p.waitFor();
    }

    /** After the child exited: final reads, the verdict, and the dead letters of what it never took. */
    private void end(ChildProcess p, ParentReader reader, AgentContext<M> ctx, boolean stopping, boolean noHeartbeat,
                     long logFrom) throws InterruptedException {
        p.waitFor();
        this.reader = null;
        reader.finish();
        takenBefore.addAndGet(channel.counter(Counter.TAKEN).get());
        Frames.Frame ended = reader.ended();
        ChildVerdict.Output output = new ChildVerdict.Output(log, logFrom);
        ChildProcessException failure = stopping ? null : ChildVerdict.of(name, p.pid(), p.exitValue(), ended,
                noHeartbeat, reader.corruption(), spec, output);
        FrameDecodeException toChild = drain(failure == null ? DeadLetter.Reason.RECIPIENT_STOPPED
                : DeadLetter.Reason.RECIPIENT_DIED);
        process = null;
        if (toChild != null && !stopping) {
            failure = ChildVerdict.corrupt(name, p.pid(), p.exitValue(), toChild, failure, output);
        }
        if (failure != null) {
            throw failure;
        }
        if (ended != null && !ended.text().isEmpty()) {
            ctx.result(ended.text());
        }
    }

    @Override
    public void paused() {
        paused = true;
        ChildProcess p = process;
        if (p != null) {
            p.stop();
        }
    }

    @Override
    public void resumed() {
        ChildProcess p = process;
        if (p != null) {
            p.cont();
        }
        resumedAt = RuntimeClock.system().nanoTime(); // the heartbeat gets a full timeout to come back
        paused = false;
    }

    @Override
    public AgentMetrics metrics(AgentMetrics local) {
        long taken = process == null ? 0 : channel.counter(Counter.TAKEN).get();
        long received = takenBefore.get() + taken;
        long depth = Math.max(0, written.sum() - drained.get() - received);
        double nanos = Double.longBitsToDouble(channel.counter(Counter.PROCESSING_NANOS).get());
        long since = RuntimeClock.system().nanoTime() - childStartedAt;
        double rate = process == null || since <= 0 ? 0 : taken * 1e9 / since;
        return new AgentMetrics(local.state(), received, (int) Math.min(Integer.MAX_VALUE, depth),
                local.deadLettered(), local.restarts(), nanos, rate, Math.min(1.0, nanos * rate / 1e9));
    }

    @Override
    public void ended() {
        closed = true;
        drain(DeadLetter.Reason.RECIPIENT_STOPPED);
        try {
            channel.delete();
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a file left behind is swept by the next process that places an agent here (ChannelFiles)
        }
    }

    /** The child JVM's process id (as this JVM sees it), or -1 when none runs: for tests and tools. */
    public long pid() {
        ChildProcess p = process;
        return p == null ? -1 : p.pid();
    }

    /** The channel file: for tests and tools. */
    public Path channelFile() {
        return channel.file();
    }

    /** The child's output file: for tests and tools. */
    public Path logFile() {
        return log;
    }
}
