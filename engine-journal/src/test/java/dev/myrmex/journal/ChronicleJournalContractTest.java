package dev.myrmex.journal;

import dev.myrmex.core.journal.EventJournal;
import dev.myrmex.core.testing.EventJournalContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link EventJournal} contract, held by the Chronicle Queue journal on disk. */
class ChronicleJournalContractTest extends EventJournalContract {
    @TempDir
    Path tmp;

    @Override
    protected EventJournal openEmpty() {
        return ChronicleJournal.open(tmp.resolve("journal"));
    }
}
