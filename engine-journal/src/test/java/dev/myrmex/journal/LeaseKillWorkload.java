package dev.myrmex.journal;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.coord.Lease;
import dev.myrmex.core.coord.LeaseManager;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The child JVM of {@link LeaseTokensOnDiskTest}: on the Chronicle journal in {@code args[0]}, grants and releases
 * leases on two resources until it is killed, printing each token on a line of its own as soon as the grant has
 * returned (unbuffered: what it printed before SIGKILL is in the file).
 */
public final class LeaseKillWorkload {
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        try (ChronicleJournal journal = ChronicleJournal.open(Path.of(args[0]));
             AgentRuntime rt = AgentRuntime.builder().workers(1).journal(journal).build()) {
            rt.start();
            LeaseManager leases = LeaseManager.of(rt);
            for (long n = 0; ; n++) { // until killed
                Lease lease = leases.tryAcquire(n % 2 == 0 ? "db" : "cache", Duration.ofMinutes(1)).orElseThrow();
                out.println(lease.token());
                leases.release(lease);
            }
        }
    }

    private LeaseKillWorkload() {
    }
}
