package dev.myrmex.journal.internal;

/**
 * The layout of {@value #FILE_NAME}: how many records the journal has acknowledged, kept apart from Chronicle's files
 * so that their loss is visible. A journal whose records end before this count has lost the rest: truncated, zeroed or
 * deleted data files read back as what they are, not as a shorter journal. Little-endian (the machine's order, as the
 * file is written through a memory map).
 *
 * <pre>
 *  offset  size  field
 *       0     8  magic          "MYRXACKS" in ASCII
 *       8     4  layout         {@value #LAYOUT}
 *      12     4  (zero)
 *      16     8  slot 0 count   records acknowledged: the sequence number the next record will get
 *      24     4  slot 0 CRC     CRC-32C of the 8 count bytes
 *      28     4  (zero)
 *      32     8  slot 1 count
 *      40     4  slot 1 CRC
 *      44     4  (zero)
 *      48  4048  (zero)         the file is one page, all of it written when the file is made, so that a later
 *                               store never needs a new block (it cannot fail on a full disk)
 * </pre>
 *
 * <p>The protocol: the writer stores each new count into the other slot from the last, count first, then its CRC,
 * after the records it counts can be read back. A crash between the two stores leaves that slot's CRC wrong and the
 * other slot holding the count before: a lower bound. A reader takes the larger count of the valid slots; none valid
 * (twice in a row, so that a writer racing the read cannot cause it) means the file is damaged. With
 * {@link dev.myrmex.journal.Durability#POWER_LOSS} the count is not synced per batch: after a power loss it may be
 * behind the records the journal holds (never ahead of them, as it is stored after they are synced), which loses
 * nothing and hides no loss of acknowledged records.
 */
public final class AckFileDescriptor {
    public static final String FILE_NAME = "myrmex-journal.acks";
    public static final long MAGIC = 0x534b43415852594dL; // "MYRXACKS" read as a little-endian long
    public static final int LAYOUT = 1;
    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_OFFSET = 8;
    public static final int SLOT_0_OFFSET = 16;
    public static final int SLOT_LENGTH = 16;
    public static final int SLOTS = 2;
    /** Within a slot. */
    public static final int COUNT_OFFSET = 0;
    /** Within a slot. */
    public static final int CRC_OFFSET = 8;
    /** The bytes a reader needs. */
    public static final int USED_LENGTH = SLOT_0_OFFSET + SLOTS * SLOT_LENGTH;
    /** The file's length: one page. */
    public static final int FILE_LENGTH = 4096;

    private AckFileDescriptor() {
    }

    /** Where slot {@code i} starts. */
    public static int slotOffset(int i) {
        return SLOT_0_OFFSET + i * SLOT_LENGTH;
    }
}
