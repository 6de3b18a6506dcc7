package dev.myrmex.journal;

import dev.myrmex.core.journal.EventType;
import dev.myrmex.core.journal.JournalEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The child JVM of {@link JournalLockTest}: opens the journal in {@code args[0]} for writing, appends one event, prints
 * {@code HOLDING pid}, and holds the journal until its standard input ends (or it is killed). If another process
 * holds it, prints {@code LOCKED holder-pid} and exits with 3.
 */
public final class JournalHolder {
    private JournalHolder() {
    }

    public static void main(String[] args) throws Exception {
        ChronicleJournal opened;
        try {
            opened = ChronicleJournal.open(Path.of(args[0]));
        } catch (JournalLockedException e) {
            System.out.println("LOCKED " + e.holderPid());
            System.out.flush();
            System.exit(3);
            return;
        }
        try (ChronicleJournal j = opened) {
            j.append(List.of(JournalEvent.of(Instant.now(), EventType.RUNTIME_STARTED, null, "held by the child")));
            System.out.println("HOLDING " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the parent closes the pipe
            }
        }
    }
}
