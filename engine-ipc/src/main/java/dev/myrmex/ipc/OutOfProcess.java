package dev.myrmex.ipc;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.host.AgentHost;
import dev.myrmex.core.host.HostedAgent;
import dev.myrmex.core.mailbox.MailboxSettings;
import dev.myrmex.core.spi.Hosting;
import dev.myrmex.ipc.internal.BehaviorSpec;
import dev.myrmex.ipc.internal.ChannelFiles;
import dev.myrmex.ipc.internal.ChildLauncher;
import dev.myrmex.ipc.internal.HostedProcess;
import dev.myrmex.ipc.internal.PrivateDirectory;
import dev.myrmex.ipc.internal.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs an agent in a child JVM of its own, under operating-system limits, behind an ordinary {@code AgentRef}: the
 * {@link AgentHost} of engine-ipc.
 *
 * <pre>{@code
 * OutOfProcess sandbox = OutOfProcess.builder()
 *         .limits(ProcessLimits.NONE.withHeap(64 << 20).withCpuTime(Duration.ofSeconds(30)).withoutNetwork())
 *         .build();
 * AgentHandle<Job> parser = rt.spawn("parser", new UntrustedParser(),
 *         SpawnOptions.DEFAULTS.outOfProcess(sandbox).withSupervision(Supervision.of(RestartPolicy.ON_FAILURE)));
 * parser.ref().signal(new Job("input.bin"));           // crosses into the child
 * }</pre>
 *
 * <h2>What crosses, and how</h2>
 * The behavior is recreated in the child from its class, which must have a no-argument constructor (a lambda cannot
 * cross; fields set in the parent's instance do not either). A handler-style behavior ({@code Behaviors.receive} or
 * {@code nonBlocking}) is recreated from its handler's class, under the same rule, and runs in the child as a receive
 * loop. Messages cross through two Agrona rings in a
 * memory-mapped file in a directory private to the user: a {@code Val} is encoded by the {@link MessageCodec}
 * ({@link RecordCodec} by default) and copied; an {@code Iso} holding a {@code ByteBuffer} or {@code byte[]} is
 * written straight into the ring and is gone from the sender; a {@code Tag} (an agent reference) travels as an address
 * and comes back as a reference that sends back across. Per-sender order holds; a full ring holds its sender back for
 * the mailbox's block timeout, then the send fails with {@code MailboxFullException}.
 *
 * <h2>Control and liveness</h2>
 * Pause is SIGSTOP and resume SIGCONT; a graceful stop lets the child finish its current message, waits
 * {@link Builder#stopGrace}, then sends SIGTERM and, 5 s later, SIGKILL; an immediate stop is SIGKILL. The child bumps
 * a heartbeat counter; a child that dies or stops beating for {@link Builder#heartbeatTimeout} (1 s by default) is
 * reported as the agent's failure ({@link ChildProcessException} says why), and a supervisor restarts it like any
 * agent. Messages the dead child never took become dead letters ({@code RECIPIENT_DIED}); a record it left half-written
 * is skipped, never delivered torn. When the parent dies, the kernel ends the child and everything in its sandbox.
 *
 * <h2>The sandbox</h2>
 * Unless its {@link ProcessLimits} opt out ({@link ProcessLimits#withoutSandbox()}), every child runs in user, PID,
 * mount and IPC namespaces of its own, without a capability: it cannot signal or see a process outside them, cannot
 * see other agents' channel files, and what it starts dies with it. The spawn fails, with the reason, where the system
 * allows no such namespaces. See {@link ProcessLimits} for what is and is not isolated.
 *
 * <p>Instances are immutable and may serve many agents.
 */
public final class OutOfProcess implements AgentHost {
    private final ProcessLimits limits;
    private final List<String> jvmOptions;
    private final int ringCapacity;
    private final Duration heartbeatTimeout;
    private final Duration stopGrace;
    private final Path directory;
    private final Class<? extends MessageCodec> codec;
    private final int childWorkers;

    private OutOfProcess(Builder b) {
        this.limits = b.limits;
        this.jvmOptions = List.copyOf(b.jvmOptions);
        this.ringCapacity = b.ringCapacity;
        this.heartbeatTimeout = b.heartbeatTimeout;
        this.stopGrace = b.stopGrace;
        this.directory = b.directory;
        this.codec = b.codec;
        this.childWorkers = b.childWorkers;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ProcessLimits limits() {
        return limits;
    }

    public List<String> jvmOptions() {
        return jvmOptions;
    }

    public int ringCapacity() {
        return ringCapacity;
    }

    public Duration heartbeatTimeout() {
        return heartbeatTimeout;
    }

    public Duration stopGrace() {
        return stopGrace;
    }

    public Path directory() {
        return directory;
    }

    public Class<? extends MessageCodec> codec() {
        return codec;
    }

    public int childWorkers() {
        return childWorkers;
    }

    @Override
    public <M extends Sendable> HostedAgent<M> place(AgentRuntime runtime, String name, Behavior<M> behavior,
                                                    MailboxSettings mailbox) {
        // A handler-style behavior travels as its handler's class: the child runs it in a receive loop.
        Class<?> type = Hosting.get().codeOf(behavior);
        checkRecreatable(type);
        String spec = Hosting.get().styleOf(behavior).isHandler() ? BehaviorSpec.handler(type) : BehaviorSpec.of(type);
        ChildLauncher.checkSupported(limits); // fails here, at the spawn, if this system cannot isolate as asked
        MessageCodec instance = newCodec(codec);
        try {
            Path dir = PrivateDirectory.ensure(directory);
            Sandbox.channelDirectory(dir); // every sandbox started from now on hides it
            ChannelFiles.sweepOnce(dir); // what killed parents left here: their owners are gone
            return new HostedProcess<>(runtime, name, spec, this, instance, mailbox.blockTimeout(), dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the channel for out-of-process agent " + name + ": "
                    + e.getMessage(), e);
        }
    }

    private static void checkRecreatable(Class<?> type) {
        String why = null;
        if (type.isHidden() || type.isSynthetic()) {
            why = "it is a lambda";
        } else if (type.isAnonymousClass() || type.isLocalClass()) {
            why = "it is an anonymous or local class";
        } else if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
            why = "it is an inner class (make it static)";
        } else {
            try {
                type.getDeclaredConstructor();
            } catch (NoSuchMethodException e) {
                why = "it has no no-argument constructor";
            }
        }
        if (why != null) {
            throw new IllegalArgumentException("an out-of-process behavior (or a handler's) is recreated in the child"
                    + " from its class, by a no-argument constructor; " + type.getName() + " cannot be: " + why);
        }
    }

    static MessageCodec newCodec(Class<? extends MessageCodec> type) {
        try {
            return BehaviorSpec.construct(type);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("codec " + type.getName() + " needs a public no-argument constructor: "
                    + e, e);
        }
    }

    @Override
    public String description() {
        return "child JVM, " + limits;
    }

    @Override
    public String toString() {
        return "OutOfProcess[" + description() + "]";
    }

    /** Options for {@link OutOfProcess}. */
    public static final class Builder {
        private ProcessLimits limits = ProcessLimits.NONE;
        private final List<String> jvmOptions = new ArrayList<>();
        private int ringCapacity = 1 << 20;
        private Duration heartbeatTimeout = Duration.ofSeconds(1);
        private Duration stopGrace = Duration.ofSeconds(5);
        private Path directory = PrivateDirectory.defaultPath();
        private Class<? extends MessageCodec> codec = RecordCodec.class;
        private int childWorkers = 1;

        private Builder() {
        }

        /** The child's operating-system limits. Default: none, network allowed. */
        public Builder limits(ProcessLimits l) {
            this.limits = Objects.requireNonNull(l, "limits");
            return this;
        }

        /**
         * Extra options for the child's JVM, after the ones it inherits (the module flags the runtime needs, and those
         * the limits imply): for example {@code -XX:+UseZGC}.
         */
        public Builder jvmOptions(String... options) {
            for (String o : options) {
                if (o == null || o.isBlank()) {
                    throw new IllegalArgumentException("a JVM option must not be blank");
                }
                jvmOptions.add(o);
            }
            return this;
        }

        /**
         * Bytes in each of the two rings, a power of two, at least 64 KB; a message may take an eighth of it. Default
         * 1 MB.
         */
        public Builder ringCapacity(int bytes) {
            if (bytes < (64 << 10) || Integer.bitCount(bytes) != 1) {
                throw new IllegalArgumentException("ring capacity must be a power of two of at least 64 KB: " + bytes);
            }
            this.ringCapacity = bytes;
            return this;
        }

        /** How long a child may go without a heartbeat before it counts as dead and is killed. Default 1 s. */
        public Builder heartbeatTimeout(Duration timeout) {
            if (timeout.compareTo(Duration.ofMillis(50)) < 0) {
                throw new IllegalArgumentException("heartbeat timeout must be at least 50 ms: " + timeout);
            }
            this.heartbeatTimeout = timeout;
            return this;
        }

        /** How long a graceful stop waits for the child to finish before SIGTERM. Default 5 s. */
        public Builder stopGrace(Duration grace) {
            if (grace.isNegative()) {
                throw new IllegalArgumentException("stop grace must not be negative: " + grace);
            }
            this.stopGrace = grace;
            return this;
        }

        /**
         * Where channel files go; made private (0700, and so is every directory made on the way to it) if it does not
         * exist. The first agent a process places here sweeps the files of parents that are gone (killed before they
         * could delete them). Default /dev/shm/myrmex-USER.
         */
        public Builder directory(Path dir) {
            this.directory = Objects.requireNonNull(dir, "directory");
            return this;
        }

        /** The codec for {@code Val} payloads, made in both processes by its no-argument constructor. */
        public Builder codec(Class<? extends MessageCodec> type) {
            newCodec(Objects.requireNonNull(type, "codec")); // fails now, not in the child
            this.codec = type;
            return this;
        }

        /** Carrier threads of the child's own runtime. Default 1. */
        public Builder childWorkers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("child workers must be at least 1: " + n);
            }
            this.childWorkers = n;
            return this;
        }

        public OutOfProcess build() {
            return new OutOfProcess(this);
        }
    }
}
