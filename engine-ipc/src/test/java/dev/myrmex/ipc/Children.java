package dev.myrmex.ipc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Finding and inspecting the child processes of this JVM, for tests. */
final class Children {
    private Children() {
    }

    /** The live child process that hosts agent {@code name}. */
    static Optional<ProcessHandle> of(String name) {
        byte[] wanted = ("--name=" + name + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return ProcessHandle.current().children()
                .filter(ProcessHandle::isAlive)
                .filter(p -> {
                    try {
                        byte[] cmd = Files.readAllBytes(Path.of("/proc/" + p.pid() + "/cmdline"));
                        return indexOf(cmd, wanted) >= 0;
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
        awaitUntil(() -> {
            found[0] = of(name).orElse(null);
            return found[0] != null;
        }, Duration.ofSeconds(60), "a child process for " + name);
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

    static void awaitUntil(BooleanSupplier condition, Duration timeout, String what) {
        dev.myrmex.core.testing.Await.until(condition, timeout, what);
    }
}
