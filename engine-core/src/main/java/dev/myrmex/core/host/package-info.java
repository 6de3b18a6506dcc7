/**
 * SPI for running an agent's behavior outside this runtime's heap while its address, lifecycle and supervision stay
 * here: {@link dev.myrmex.core.host.AgentHost} and {@link dev.myrmex.core.host.HostedAgent}. engine-ipc implements
 * it with child processes; applications use that, not this package.
 */
package dev.myrmex.core.host;
