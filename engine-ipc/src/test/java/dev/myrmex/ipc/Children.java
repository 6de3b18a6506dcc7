package dev.myrmex.ipc;

import static dev.myrmex.testkit.Await.WATCHDOG;

import dev.myrmex.testkit.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finding and inspecting the child processes of this JVM, for tests. */
final class Children {
    private Children() {
    }

    /**
     * The live child JVM that hosts agent {@code name}: in its sandbox a grandchild's child of this JVM (under unshare
     * and the sandbox's init), else a child.
     */
    static Optional<ProcessHandle> of(String name) {
        byte[] wanted = ("--name=" + name + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] jvm = (Path.of(System.getProperty("java.home"), "bin", "java") + "\0")
                .getBytes(StandardCharsets.UTF_8);
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> {
                    try {
                        byte[] cmd = Files.readAllBytes(Path.of("/proc/" + p.pid() + "/cmdline"));
                        return indexOf(cmd, jvm) == 0 && indexOf(cmd, wanted) >= 0;
                    } catch (IOException e) {
                        return false;
                    }
                })
                .findFirst();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Waits (polling a condition, not sleeping for a guess) until the child of {@code name} runs, and returns it. */
    static ProcessHandle await(String name) {
        ProcessHandle[] found = new ProcessHandle[1];
        Await.until(() -> {
            found[0] = of(name).orElse(null);
            return found[0] != null;
        }, WATCHDOG, "a child process for " + name);
        return found[0];
    }

    /** The process's state letter from /proc ('T' stopped, 'S' sleeping, 'R' running, ...). */
    static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            return '?';
        }
    }

    /**
     * The pid, as this JVM sees it, of the process under child JVM {@code jvm} that its agent knows as {@code inner}:
     * the descendant whose innermost pid (the last of /proc/PID/status's NSpid) is {@code inner}. The same number
     * without a sandbox.
     */
    static long hostPid(ProcessHandle jvm, long inner) {
        return jvm.descendants().filter(d -> innermostPid(d.pid()) == inner).findFirst()
                .orElseThrow(() -> new AssertionError("no process " + inner + " under child JVM " + jvm.pid())).pid();
    }

    private static long innermostPid(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("NSpid:")) {
                    String[] f = line.substring(6).strip().split("\\s+");
                    return Long.parseLong(f[f.length - 1]);
                }
            }
        } catch (IOException e) {
            // gone
        }
        return -1;
    }

    /** Whether {@code pid} no longer runs: no such process, or a zombie. */
    static boolean gone(long pid) {
        char s = state(pid);
        return s == '?' || s == 'Z';
    }
}
