package dev.myrmex.journal.internal;

import dev.myrmex.journal.JournalDamage;

/** Where a read reports the damage it meets, as it meets it, in journal order. */
public interface DamageSink {
    /** Records lost: see {@link JournalDamage.Loss}. */
    void lost(JournalDamage.Loss loss);

    /** The Chronicle excerpt at {@code index} failed its checksum (or did not parse). */
    void damagedDocument(long index, String why);

    /** Damage that loses no counted record (see {@link JournalDamage#problems()}). */
    void problem(String what);
}
