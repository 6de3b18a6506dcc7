/**
 * A work-stealing carrier scheduler for virtual threads.
 *
 * <p>{@link dev.myrmex.sched.WorkStealingScheduler} carries the virtual threads built from its
 * {@link dev.myrmex.sched.WorkStealingScheduler#threadBuilder() threadBuilder()} on its own worker platform threads:
 * a thread woken by another runs next on the waker's carrier (the LIFO slot), idle workers steal half of a busy
 * one's queue, and idle workers park. {@link dev.myrmex.sched.Lane}s with a {@link dev.myrmex.sched.RunHook} let a
 * scheduling policy see every run of an agent's thread. {@link dev.myrmex.sched.SchedulerStats} tells what the
 * scheduler did; {@link dev.myrmex.sched.ShutdownReport} what a shutdown left alive.
 *
 * <p>The design, the protocols and their sources: {@code docs/scheduler.md}. Internals live in
 * {@code dev.myrmex.sched.internal}, which users never import.
 */
package dev.myrmex.sched;
