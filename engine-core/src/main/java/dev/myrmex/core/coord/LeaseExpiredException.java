package dev.myrmex.core.coord;

/**
 * A lease was used ({@link LeaseManager#renew}) after it ended: it expired, was released, or another holder has the
 * resource now. The holder must stop using what the lease protected and acquire a new one.
 */
public final class LeaseExpiredException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient Lease lease;

    public LeaseExpiredException(Lease lease, String why) {
        super("the lease on '" + lease.resource() + "' (token " + lease.token() + ", held by " + lease.holder()
                + ") " + why + "; acquire a new one");
        this.lease = lease;
    }

    /** The lease that had ended. */
    public Lease lease() {
        return lease;
    }
}
