/**
 * What other modules need from the agent core, and users do not: the {@link dev.myrmex.core.spi.Endpoint} a
 * reference delivers to, the {@link dev.myrmex.core.spi.Pace} a sender may be slowed down to, the
 * {@link dev.myrmex.core.spi.Hosting} operations a host of agents (engine-ipc, engine-remote) calls, and the
 * {@link dev.myrmex.core.spi.AgentStyle} of a behavior. Modules other than engine-core use this package and never
 * {@code dev.myrmex.core.internal} (checked by the architecture tests).
 */
package dev.myrmex.core.spi;
