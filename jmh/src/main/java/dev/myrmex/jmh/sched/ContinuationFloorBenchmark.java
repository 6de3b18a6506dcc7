package dev.myrmex.jmh.sched;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor under every virtual-thread hop: a bare {@code jdk.internal.vm.Continuation} run until it yields, on the
 * benchmark thread, with no scheduler, no park permit and no thread state at all. One op is one run-and-yield.
 * Needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} (in the Myrmex JVM flags); the class is reached
 * through method handles so that the build needs no extra compiler flags.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class ContinuationFloorBenchmark {
    private static final MethodHandle NEW_SCOPE;
    private static final MethodHandle NEW_CONTINUATION;
    private static final MethodHandle RUN;
    private static final MethodHandle YIELD;

    static {
        try {
            Class<?> scope = Class.forName("jdk.internal.vm.ContinuationScope");
            Class<?> cont = Class.forName("jdk.internal.vm.Continuation");
            MethodHandles.Lookup l = MethodHandles.lookup();
            NEW_SCOPE = l.findConstructor(scope, MethodType.methodType(void.class, String.class))
                    .asType(MethodType.methodType(Object.class, String.class));
            NEW_CONTINUATION = l.findConstructor(cont, MethodType.methodType(void.class, scope, Runnable.class))
                    .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
            RUN = l.findVirtual(cont, "run", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            YIELD = l.findStatic(cont, "yield", MethodType.methodType(boolean.class, scope))
                    .asType(MethodType.methodType(boolean.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Object continuation;

    @Setup
    public void setUp() throws Throwable {
        Object scope = NEW_SCOPE.invokeExact("floor");
        continuation = NEW_CONTINUATION.invokeExact(scope, (Runnable) () -> {
            try {
                while (true) {
                    boolean ignored = (boolean) YIELD.invokeExact(scope);
                }
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        });
    }

    @Benchmark
    public void runAndYield() throws Throwable {
        RUN.invokeExact(continuation);
    }
}
