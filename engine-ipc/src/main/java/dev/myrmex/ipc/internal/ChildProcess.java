package dev.myrmex.ipc.internal;

import dev.myrmex.core.time.RuntimeClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import jnr.constants.platform.Signal;

/**
 * One started child of an out-of-process agent: the process this JVM forked, and the child JVM, which in the
 * {@link Sandbox} are not the same process.
 *
 * <h2>Which process gets what</h2>
 * In the sandbox this JVM's own child is unshare(1), which blocks SIGTERM and forwards no signal; its child is the
 * sandbox's init (a shell, pid 1 inside), whose child is the JVM. So every signal (SIGSTOP, SIGCONT, SIGTERM, SIGKILL)
 * goes to the JVM, by its pid as this JVM sees it, found once at the start (below). Exit and exit status are
 * unshare's: it exits after the init, with the init's status, which is the JVM's (128 + n when signal n ended it,
 * as the JDK reports a signal death); the init exits when the JVM does. Killing unshare instead would be wrong: it
 * would exit at once while the JVM may still run for a moment, and the parent would then read a ring the child still
 * consumes.
 *
 * <h2>When the sandbox is gone</h2>
 * When a PID namespace's init exits, the kernel kills every process left in it and finishes the init's exit only once
 * they are all gone; unshare waits for that exit. So once {@link #waitFor} returns, no process of the sandbox is left:
 * the JVM, and everything the agent started, have exited.
 *
 * <h2>Finding the JVM</h2>
 * The JVM is the child of the init whose program is {@link ChildLauncher#java()}: the init's other children are the
 * set-up's mount and mkdir, and no agent code runs before the JVM has been found. Its pid stays the JVM's as long as
 * unshare has not exited (the init outlives the JVM only by its own exit). A signal is sent only while unshare is
 * alive; between the init reaping the JVM and unshare's exit lies a few microseconds, and the pid could be reused only
 * if the kernel's pid counter wrapped around within them.
 */
public final class ChildProcess {
    /** How long the sandbox may take to run the JVM (its set-up takes tens of milliseconds). */
    private static final long FIND_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Process process;
    private final long jvm;

    private ChildProcess(Process process, long jvm) {
        this.process = process;
        this.jvm = jvm;
    }

    /** A child JVM this JVM forked itself (no sandbox). */
    static ChildProcess direct(Process p) {
        return new ChildProcess(p, p.pid());
    }

    /**
     * A child JVM in a sandbox whose outer process is {@code p}: returns once the JVM exists, or the sandbox has
     * exited without one (its set-up failed: the verdict comes from its exit status and output).
     *
     * @throws IOException if no JVM appeared within 30 s (the sandbox is then killed)
     */
    static ChildProcess inSandbox(Process p, String java) throws IOException {
        long deadline = RuntimeClock.system().nanoTime() + FIND_TIMEOUT_NANOS;
        byte[] program = (java + "\0").getBytes(StandardCharsets.UTF_8);
        long init = -1;
        while (p.isAlive()) {
            if (init < 0) {
                List<Long> c = children(p.pid());
                init = c.isEmpty() ? -1 : c.getFirst();
            }
            if (init > 0) {
                for (long c : children(init)) {
                    if (startsWith(cmdline(c), program)) {
                        return new ChildProcess(p, c);
                    }
                }
            }
            if (RuntimeClock.system().nanoTime() - deadline > 0) {
                Posix.signal(init > 0 ? init : p.pid(), Signal.SIGKILL); // the init: from outside, SIGKILL reaches it
                throw new IOException("the sandbox did not run the child JVM within 30 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return new ChildProcess(p, -1);
    }

    /** The child JVM's process id (as this JVM sees it); the outer process's if the JVM never ran. */
    public long pid() {
        return jvm > 0 ? jvm : process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Waits until the child, and in the sandbox every process in it, has exited. */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        return process.waitFor(timeout, unit);
    }

    /** The exit status, as {@link Process#exitValue()}: the JVM's, through the sandbox. */
    public int exitValue() {
        return process.exitValue();
    }

    /** Freezes the child JVM (SIGSTOP). */
    public void stop() {
        signal(Signal.SIGSTOP);
    }

    /** Lets a frozen child JVM go on (SIGCONT). */
    public void cont() {
        signal(Signal.SIGCONT);
    }

    /** Asks the child JVM to exit (SIGTERM): its shutdown runs. */
    public void destroy() {
        signal(Signal.SIGTERM);
    }

    /** Kills the child JVM (SIGKILL); in the sandbox everything in it dies with it. */
    public void destroyForcibly() {
        signal(Signal.SIGKILL);
    }

    private void signal(Signal s) {
        if (!process.isAlive()) {
            return; // see the class comment: its pid may no longer be the JVM's
        }
        if (jvm > 0) {
            Posix.signal(jvm, s);
        } else if (s == Signal.SIGKILL) {
            process.destroyForcibly(); // no JVM ran: nothing reads the ring
        }
    }

    /** The children of {@code pid}: from /proc/PID/task/PID/children where the kernel has it, else by a scan. */
    private static List<Long> children(long pid) {
        try {
            String text = Files.readString(Path.of("/proc/" + pid + "/task/" + pid + "/children")).strip();
            List<Long> out = new ArrayList<>();
            if (!text.isEmpty()) {
                for (String s : text.split(" ")) {
                    out.add(Long.parseLong(s));
                }
            }
            return out;
        } catch (NoSuchFileException e) {
            return ProcessHandle.of(pid).stream().flatMap(ProcessHandle::children).map(ProcessHandle::pid).toList();
        } catch (IOException | NumberFormatException e) {
            return List.of();
        }
    }

    private static byte[] cmdline(long pid) {
        try {
            return Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        if (a.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (a[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
