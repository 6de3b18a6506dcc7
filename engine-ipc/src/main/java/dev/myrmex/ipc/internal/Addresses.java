package dev.myrmex.ipc.internal;

/**
 * How an address in a frame names an agent on either side of a channel. The top two bits say who minted it; the rest
 * is that side's own {@code AgentRef.id()}:
 *
 * <pre>
 *   63 62 61                                                     0
 *  +-----+-------------------------------------------------------+
 *  | 0 0 |  0: none (the sender was not an agent)                |
 *  | 0 1 |  minted by the parent: a parent AgentRef's id          |
 *  | 1 0 |  minted by the child: a child AgentRef's id            |
 *  | 1 1 |  0: the hosted agent itself, on whichever side it is   |
 *  +-----+-------------------------------------------------------+
 * </pre>
 * A side resolves the addresses it minted through its export table and turns the other side's into references that
 * send back across the channel.
 */
public final class Addresses {
    public static final long NONE = 0;
    public static final long HOSTED = 3L << 62;
    private static final long SIDE_MASK = 3L << 62;
    private static final long PARENT_BIT = 1L << 62;
    private static final long CHILD_BIT = 2L << 62;

    /** Which side minted an address. */
    public enum Side {
        PARENT(PARENT_BIT), CHILD(CHILD_BIT);

        private final long bits;

        Side(long bits) {
            this.bits = bits;
        }

        /** The other side of the channel. */
        public Side other() {
            return this == PARENT ? CHILD : PARENT;
        }

        /** The address this side gives its reference number {@code id}. */
        public long mint(long id) {
            if ((id & SIDE_MASK) != 0 || id <= 0) {
                throw new IllegalArgumentException("reference number out of range: " + id);
            }
            return bits | id;
        }

        /** Whether this side minted {@code address}. */
        public boolean minted(long address) {
            return (address & SIDE_MASK) == bits;
        }
    }

    private Addresses() {
    }

    /** The reference number inside an address minted by either side. */
    public static long id(long address) {
        return address & ~SIDE_MASK;
    }

    /** Whether {@code address} is well formed: none, the hosted agent, or minted by a side with a positive number. */
    public static boolean isValid(long address) {
        return address == NONE || address == HOSTED
                || ((Side.PARENT.minted(address) || Side.CHILD.minted(address)) && id(address) > 0);
    }
}
