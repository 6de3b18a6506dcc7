/**
 * The scheduler's internals; not an API.
 *
 * <p>{@link dev.myrmex.sched.internal.CarrierPool} is the executor the JDK submits continuations to, and routes them
 * (LIFO slot, local queue tail, global queue) by where the call comes from. Each
 * {@link dev.myrmex.sched.internal.Worker} runs the loop: global queue every 61 ticks, LIFO slot (at most 3 in a
 * row while work is queued), local queue, a global batch, steal half, park. {@code IdleCoordinator} holds the
 * search/park/notify protocol that prevents lost wake-ups; {@code StallMonitor} rescues work queued behind a carrier
 * stuck in native code; {@link dev.myrmex.sched.internal.LaneExecutor} binds a lane's threads to its hook;
 * {@link dev.myrmex.sched.internal.JdkVirtualThreads} is the one class that touches JDK internals.
 *
 * <p>The design essay, with each rule's source and what to re-check after a change, is {@code docs/scheduler.md}.
 */
package dev.myrmex.sched.internal;
