package dev.myrmex.journal;

import dev.myrmex.core.journal.JournalException;
import java.nio.file.Path;

/**
 * The journal is damaged, so it is not opened for writing: records written after the damage might not be readable
 * where recovery reads, and an append the journal acknowledged must always be read back. The message says what is
 * lost and how to repair it: {@code myrmex journal repair DIR} moves the damaged files aside (nothing is deleted),
 * keeps every readable record and records the loss in the journal. Reading ({@link ChronicleJournal#openExisting})
 * still works, and reports the same damage.
 */
public final class JournalDamagedException extends JournalException {
    private final JournalDamage damage;

    public JournalDamagedException(Path directory, JournalDamage damage, String why) {
        super(directory, "journal " + directory + " is damaged" + (why.isEmpty() ? "" : " (" + why + ")") + ": "
                + damage.summary() + ". It is not opened for writing, as appends after the damage might never be read"
                + " back; run `myrmex journal repair " + directory + "` to move the damaged files aside and keep every"
                + " readable record");
        this.damage = damage;
    }

    /** What is lost, record by record. */
    public JournalDamage damage() {
        return damage;
    }
}
