package dev.myrmex.core.coord;

import java.time.Duration;

/**
 * A time-limited, exclusive right to a resource, granted by a {@link LeaseManager}. Pass its {@link #token} (the
 * fencing token) to whatever the lease protects, and have that refuse a token lower than one it has seen: a holder
 * that stalled past its expiry then cannot overwrite the work of the next holder.
 *
 * @param resource   what the lease is for
 * @param token      the fencing token: above every token granted before it, on any resource, by its runtime or by
 *                   any runtime before it on the same journal (so strictly increasing per resource, though not
 *                   consecutive); a renewal keeps it
 * @param holder     who holds it: the acquiring agent's name, else the acquiring thread's
 * @param grantedAt  when it was granted or last renewed, on the runtime's clock (nanoseconds)
 * @param expiresAt  when it ends unless renewed, on the runtime's clock (nanoseconds)
 */
public record Lease(String resource, long token, String holder, long grantedAt, long expiresAt) {
    /** The time it was granted for. */
    public Duration ttl() {
        return Duration.ofNanos(expiresAt - grantedAt);
    }

    @Override
    public String toString() {
        return "Lease[" + resource + " #" + token + " held by " + holder + ", ttl " + ttl() + "]";
    }
}
