package dev.myrmex.core.journal;

import dev.myrmex.core.testing.EventJournalContract;

/** The {@link EventJournal} contract, held by the default in-memory journal. */
class InMemoryJournalContractTest extends EventJournalContract {
    @Override
    protected EventJournal openEmpty() {
        return new InMemoryJournal();
    }
}
