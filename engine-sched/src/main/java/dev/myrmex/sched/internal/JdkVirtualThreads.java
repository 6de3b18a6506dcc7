package dev.myrmex.sched.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * The only place that reaches into JDK internals. Everything Myrmex needs from the JDK's virtual-thread
 * implementation that has no public API yet lives here, so that moving to the JDK's future public scheduler
 * API is a change to this one file.
 *
 * <ul>
 *   <li>{@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)}: a virtual-thread builder whose threads
 *       are carried by our executor (package-private, needs {@code --add-opens java.base/java.lang}).</li>
 *   <li>{@code Thread.currentCarrierThread()}: which platform thread carries the caller; on a platform thread it is
 *       the thread itself. It tells the scheduler where a submission comes from (same flag).</li>
 *   <li>{@code VirtualThread.scheduler}: which executor carries a virtual thread (same flag).</li>
 *   <li>{@code jdk.internal.vm.ThreadContainers.root().threads()}: every live thread, virtual ones included, so that
 *       {@code close()} can report the virtual threads still alive without any cost on the spawn path (needs
 *       {@code --add-exports java.base/jdk.internal.vm}).</li>
 *   <li>{@code sun.nio.ch.Poller}: initialised early from a platform thread (no flag needed), see
 *       {@link #startJdkPollersOnDefaultScheduler()}.</li>
 * </ul>
 *
 * If a flag is missing, {@link #ensureAvailable()} throws an {@link IllegalStateException} naming it.
 */
public final class JdkVirtualThreads {
    /** Where each Myrmex jar keeps the JVM flags it needs, as a {@code java @file} argument file. */
    public static final String ARGUMENT_FILE = "META-INF/myrmex/<module>.args";
    /** The flags without which this class cannot work, as a user must write them on the java command line. */
    public static final String OPEN_JAVA_LANG = "--add-opens java.base/java.lang=ALL-UNNAMED";
    public static final String EXPORT_JDK_INTERNAL_VM = "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED";

    private static final MethodHandle NEW_BUILDER;
    private static final MethodHandle CURRENT_CARRIER;
    private static final MethodHandle SCHEDULER_OF;
    private static final MethodHandle ROOT_CONTAINER;
    private static final MethodHandle CONTAINER_THREADS;
    private static final MethodHandle CONTAINER_CHILDREN;
    private static final String FAILURE;

    static {
        MethodHandle newBuilder = null, currentCarrier = null, schedulerOf = null;
        MethodHandle rootContainer = null, containerThreads = null, containerChildren = null;
        List<String> missing = new ArrayList<>();
        Throwable cause = null;
        try {
            MethodHandles.Lookup lang = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            Class<?> builderClass = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            newBuilder = lang.findConstructor(builderClass, MethodType.methodType(void.class, Executor.class))
                    .asType(MethodType.methodType(Thread.Builder.OfVirtual.class, Executor.class));
            currentCarrier = lang.findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
            Class<?> virtualThread = Class.forName("java.lang.VirtualThread");
            schedulerOf = MethodHandles.privateLookupIn(virtualThread, MethodHandles.lookup())
                    .findGetter(virtualThread, "scheduler", Executor.class)
                    .asType(MethodType.methodType(Executor.class, Thread.class));
        } catch (IllegalAccessException e) {
            missing.add(OPEN_JAVA_LANG);
            cause = e;
        } catch (ReflectiveOperationException | RuntimeException e) {
            cause = e;
        }
        try {
            Class<?> containers = Class.forName("jdk.internal.vm.ThreadContainers");
            Class<?> container = Class.forName("jdk.internal.vm.ThreadContainer");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            rootContainer = lookup.findStatic(containers, "root", MethodType.methodType(container))
                    .asType(MethodType.methodType(Object.class));
            containerThreads = lookup.findVirtual(container, "threads", MethodType.methodType(Stream.class))
                    .asType(MethodType.methodType(Stream.class, Object.class));
            containerChildren = lookup.findVirtual(container, "children", MethodType.methodType(Stream.class))
                    .asType(MethodType.methodType(Stream.class, Object.class));
        } catch (IllegalAccessException e) {
            missing.add(EXPORT_JDK_INTERNAL_VM);
            if (cause == null) {
                cause = e;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (cause == null) {
                cause = e;
            }
        }
        NEW_BUILDER = newBuilder;
        CURRENT_CARRIER = currentCarrier;
        SCHEDULER_OF = schedulerOf;
        ROOT_CONTAINER = rootContainer;
        CONTAINER_THREADS = containerThreads;
        CONTAINER_CHILDREN = containerChildren;
        if (!missing.isEmpty()) {
            FAILURE = "The Myrmex scheduler needs JDK internals that this JVM does not open. Start the JVM with "
                    + String.join(" ", missing) + ", or with every flag Myrmex needs at once: java @myrmex.args, the"
                    + " argument file each Myrmex jar carries as " + ARGUMENT_FILE + " (engine-core's: "
                    + "META-INF/myrmex/engine-core.args; './myrmex jvm-flags engine-core > myrmex.args' writes it"
                    + " from a clone). See docs/build.md; ./myrmex and the Maven build add them for you";
        } else if (cause != null) {
            FAILURE = "This JDK's virtual-thread internals are not the ones the Myrmex scheduler was built for (JDK "
                    + Runtime.version() + "): " + cause;
        } else {
            FAILURE = null;
        }
    }

    private JdkVirtualThreads() {
    }

    /**
     * Makes the JDK start its I/O pollers now, from a platform thread. On Linux the JDK 25 default is
     * {@code VTHREAD_POLLERS}: the pollers are virtual threads built with a plain {@code Thread.ofVirtual()} the first
     * time any virtual thread blocks on a socket, and a virtual thread inherits the scheduler of the thread that
     * creates it. If one of our agents were first, every socket wake-up in the JVM would run on our carriers for the
     * rest of the JVM's life, and stall with them. Initialising the class from a platform thread keeps the pollers on
     * the JDK's default scheduler. Idempotent and cheap after the first call.
     */
    public static void startJdkPollersOnDefaultScheduler() {
        Runnable init = () -> {
            try {
                Class.forName("sun.nio.ch.Poller", true, null);
            } catch (ClassNotFoundException | LinkageError e) {
                // Another JDK layout or a failed poller start: socket I/O will report its own error when used.
                org.slf4j.LoggerFactory.getLogger(JdkVirtualThreads.class)
                        .debug("could not start the JDK I/O pollers early", e);
            }
        };
        if (!Thread.currentThread().isVirtual()) {
            init.run();
            return;
        }
        Thread t = Thread.ofPlatform().name("myrmex-poller-init").start(init);
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Throws an {@link IllegalStateException} naming the missing JVM flag(s) if the hooks are unavailable. */
    public static void ensureAvailable() {
        if (FAILURE != null) {
            throw new IllegalStateException(FAILURE);
        }
    }

    /** A virtual-thread builder whose threads are carried by {@code scheduler}. */
    public static Thread.Builder.OfVirtual newBuilder(Executor scheduler) {
        ensureAvailable();
        try {
            return (Thread.Builder.OfVirtual) NEW_BUILDER.invokeExact(scheduler);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot create a virtual-thread builder", t);
        }
    }

    /** The platform thread that carries the caller; the caller itself when it is a platform thread. */
    public static Thread currentCarrierThread() {
        try {
            return (Thread) CURRENT_CARRIER.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t); // cannot happen once ensureAvailable() passed
        }
    }

    /** The executor that carries virtual thread {@code vt}. */
    public static Executor schedulerOf(Thread vt) {
        try {
            return (Executor) SCHEDULER_OF.invokeExact(vt);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * The live virtual threads whose executor satisfies {@code carriedBy}, wherever they were started: directly, or in
     * a thread container of their own (an {@code ExecutorService} per task, a structured task scope). The JDK's
     * container tree is walked from the root. Empty when the JVM runs with {@code -Djdk.trackAllThreads=false}, which
     * turns the JDK's own tracking of directly started virtual threads off.
     */
    public static List<Thread> liveVirtualThreads(java.util.function.Predicate<Executor> carriedBy) {
        try {
            Set<Thread> threads = new LinkedHashSet<>();
            Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            Deque<Object> todo = new ArrayDeque<>();
            todo.add(ROOT_CONTAINER.invokeExact());
            while (!todo.isEmpty()) {
                Object container = todo.poll();
                if (!seen.add(container)) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Stream<Thread> own = (Stream<Thread>) CONTAINER_THREADS.invokeExact(container);
                own.forEach(threads::add);
                @SuppressWarnings("unchecked")
                Stream<Object> children = (Stream<Object>) CONTAINER_CHILDREN.invokeExact(container);
                children.forEach(todo::add);
            }
            return threads.stream()
                    .filter(t -> t.isVirtual() && t.isAlive() && carriedBy.test(schedulerOf(t)))
                    .toList();
        } catch (Throwable t) {
            throw new IllegalStateException("cannot list live virtual threads", t);
        }
    }
}
