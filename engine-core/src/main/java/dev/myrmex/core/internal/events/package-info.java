/**
 * JFR events of the agent runtime ({@code dev.myrmex.*}, category "Myrmex"): spawn, end, mailbox overflow, dead
 * letter. JDK Mission Control and {@code jfr print --events 'dev.myrmex.*'} show them with no extra tool. Each is
 * created and committed only when JFR records it ({@code isEnabled()} first), so they cost nothing measurable
 * otherwise.
 *
 * <p>Known gap (JDK 25.0.3): JFR drops events committed by plain tasks on a carrier thread once virtual threads have
 * run on that carrier. The turns of non-blocking handler agents are such tasks, so their end events, and overflow or
 * dead-letter events raised inside their turns, can be missing from a recording. Events from virtual threads and from
 * other threads are recorded. Reproduced with a probe that spawns direct agents, then handler agents on the same
 * carriers: docs/notes/jfr-carrier-events.md; to be reported upstream.
 */
package dev.myrmex.core.internal.events;
