package dev.myrmex.sched.internal;

/** An executor that submits to a carrier pool: virtual threads built with it are carried by that pool. */
interface PoolLane {
    /** True if this lane submits to {@code p}. */
    boolean carriedBy(CarrierPool p);
}
