package dev.myrmex.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Finds carrier threads that parked in a lock or a wait: the bug class that stops a runtime when every carrier waits
 * for a lock whose holder, a virtual thread, needs a carrier to go on (it hung {@code LaneGroupTest} and stalled
 * {@code QuorumStressTest}). A carrier may spin, never park, except in the scheduler's own idle protocol.
 *
 * <p>It records, with JFR, every park ({@code jdk.ThreadPark}), contended monitor entry ({@code jdk.JavaMonitorEnter})
 * and monitor wait ({@code jdk.JavaMonitorWait}) of any length, with stack traces, and keeps those of threads named
 * like carriers ({@link #CARRIER_NAMES}) that did not park inside the scheduler ({@link #SCHEDULER_FRAMES}):
 *
 * <pre>{@code
 * CarrierParks watch = CarrierParks.start();
 * ... run agents ...
 * List<CarrierParks.Park> parks = watch.stop();   // empty: no carrier parked outside the scheduler
 * }</pre>
 *
 * It sees what the run did, not what it might do: a lock a carrier takes with no contention parks nothing. Every
 * module's tests run under it ({@link CarrierParkWatch}). Not thread-safe: one owner starts and stops it.
 */
public final class CarrierParks implements AutoCloseable {
    /**
     * The names of the scheduler's carrier threads: {@code <pool>-worker-<i>} and {@code <pool>-spare-<i>}; not the
     * JDK's {@code ForkJoinPool-<n>-worker-<i>} (JUnit's and the common pool's).
     */
    public static final Pattern CARRIER_NAMES = Pattern.compile("(?!ForkJoinPool).+-(worker|spare)-\\d+");
    /** Where a carrier parks by design: the scheduler waiting for work. */
    public static final String SCHEDULER_FRAMES = "dev.myrmex.sched.internal.";

    private static final Set<String> EVENTS = Set.of("jdk.ThreadPark", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait");

    /**
     * One park of a carrier outside the scheduler: on which thread, how (the JFR event), how long, where (the first
     * frame outside the JDK), and the stack.
     */
    public record Park(String thread, String event, Duration duration, String place, String stack) {
        @Override
        public String toString() {
            return thread + " " + event + " for " + duration + " at\n" + stack;
        }
    }

    private final Recording recording;

    private CarrierParks(Recording recording) {
        this.recording = recording;
    }

    /** Starts recording. */
    public static CarrierParks start() {
        Recording r = new Recording();
        r.setName("myrmex-carrier-parks");
        r.setToDisk(true);
        for (String event : EVENTS) {
            r.enable(event).withThreshold(Duration.ZERO).withStackTrace();
        }
        r.start();
        return new CarrierParks(r);
    }

    /** Stops recording and returns the parks of carriers outside the scheduler, in the order they began. */
    public List<Park> stop() {
        recording.stop();
        try {
            Path file = Files.createTempFile("myrmex-carrier-parks", ".jfr");
            try {
                recording.dump(file);
                List<Park> found = new ArrayList<>();
                for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                    RecordedThread t = e.getThread();
                    // The file holds what every recording running meanwhile asked for (JfrEventsTest's, say).
                    if (!EVENTS.contains(e.getEventType().getName()) || t == null || t.isVirtual()
                            || t.getJavaName() == null || !CARRIER_NAMES.matcher(t.getJavaName()).matches()
                            || inScheduler(e.getStackTrace())) {
                        continue;
                    }
                    if (notALockWait(e)) {
                        continue;
                    }
                    String how = e.getEventType().getName();
                    if (e.hasField("monitorClass") && e.getClass("monitorClass") != null) {
                        how += " on " + e.getClass("monitorClass").getName();
                    }
                    RecordedFrame own = firstOutsideJdk(e.getStackTrace());
                    found.add(new Park(t.getJavaName(), how, e.getDuration(), own == null ? "(the JDK only)"
                            : frame(own), stack(e.getStackTrace())));
                }
                return found;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the carrier-park recording", e);
        } finally {
            recording.close();
        }
    }

    @Override
    public void close() {
        recording.close();
    }

    /**
     * Waits that are not a lock's or a wait's of the code under test, but the VM's or JFR's: a class's initialisation
     * (reported as a monitor wait with no {@code Object.wait} frame, once per class), a call site's linking (an
     * array's monitor, or the method-handle caches' under {@code MethodHandleNatives}), a {@code ClassValue}'s first
     * computation for a class (and the JDK-wide monitor under which a class gets its first {@code ClassValue} map),
     * a thread's exit (no Java frame), loading a class another thread is loading, JFR's own locks (held for
     * microseconds while an event is written, never across a block), and the bin monitors of a
     * {@code ConcurrentHashMap} (the same: an accepted risk).
     */
    private static boolean notALockWait(RecordedEvent e) {
        RecordedStackTrace trace = e.getStackTrace();
        if (trace == null || trace.getFrames().isEmpty()) {
            return true; // the VM's own: a carrier thread's exit locks its Thread object (no Java frame is running)
        }
        String top = trace.getFrames().getFirst().getMethod().getType().getName();
        if (e.getEventType().getName().equals("jdk.JavaMonitorWait") && !top.equals("java.lang.Object")) {
            return true;
        }
        if (e.hasField("monitorClass") && e.getClass("monitorClass") != null) {
            String monitor = e.getClass("monitorClass").getName();
            if (monitor.startsWith("[") || monitor.equals("java.lang.ClassValue$ClassValueMap")) {
                return true; // the VM linking a call site (an array's monitor), or a ClassValue's first computation
            }
            if (monitor.startsWith("java.util.concurrent.ConcurrentHashMap$")) {
                // A ConcurrentHashMap bin's monitor: held for a few writes, never across a block. An accepted risk
                // (the runtime's registries are such maps), not a lock of ours.
                return true;
            }
        }
        for (RecordedFrame f : trace.getFrames()) {
            String type = f.getMethod().getType().getName();
            if (!isJdk(type)) {
                break;
            }
            if (type.startsWith("jdk.internal.loader.") || type.equals("java.lang.ClassLoader")) {
                return true; // loading a class that another thread is loading: once per class
            }
            if (type.equals("java.lang.ClassValue")) {
                // the first ClassValue a class is asked for makes that class's map under one JDK-wide monitor, held
                // for an allocation and never across a block: once per class
                return true;
            }
            if (type.equals("java.lang.invoke.MethodHandleNatives")) {
                // linking a call site (an invokedynamic's bootstrap: a string concatenation, a lambda), whose
                // method-handle caches take monitors: once per call site
                return true;
            }
        }
        return top.startsWith("jdk.jfr.internal.");
    }

    /** True if the first frame outside the JDK is the scheduler's: its carrier waiting for work. */
    private static boolean inScheduler(RecordedStackTrace trace) {
        RecordedFrame own = firstOutsideJdk(trace);
        return own != null && own.getMethod().getType().getName().startsWith(SCHEDULER_FRAMES);
    }

    /** The innermost frame of code outside the JDK, or null if there is none (or no stack). */
    private static RecordedFrame firstOutsideJdk(RecordedStackTrace trace) {
        if (trace == null) {
            return null;
        }
        for (RecordedFrame f : trace.getFrames()) {
            if (!isJdk(f.getMethod().getType().getName())) {
                return f;
            }
        }
        return null;
    }

    private static boolean isJdk(String type) {
        return type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.");
    }

    private static String frame(RecordedFrame f) {
        return f.getMethod().getType().getName() + '.' + f.getMethod().getName() + ':' + f.getLineNumber();
    }

    private static String stack(RecordedStackTrace trace) {
        if (trace == null) {
            return "    (no stack trace)";
        }
        StringBuilder b = new StringBuilder();
        for (RecordedFrame f : trace.getFrames()) {
            b.append("    at ").append(frame(f)).append('\n');
        }
        if (trace.isTruncated()) {
            b.append("    ...\n");
        }
        return b.toString();
    }
}
