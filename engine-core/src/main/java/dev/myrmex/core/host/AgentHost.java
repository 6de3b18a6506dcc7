package dev.myrmex.core.host;

import dev.myrmex.core.AgentRuntime;
import dev.myrmex.core.Behavior;
import dev.myrmex.core.Sendable;
import dev.myrmex.core.mailbox.MailboxSettings;

/**
 * SPI: somewhere other than this runtime's heap where an agent's behavior can run, such as a child process
 * ({@code dev.myrmex.ipc.OutOfProcess} in engine-ipc). Given to a spawn with
 * {@link dev.myrmex.core.SpawnOptions#outOfProcess}; the runtime then hands the behavior to the host and keeps, in
 * process, an ordinary agent whose address delivers through the host and whose lifecycle (state, supervision,
 * pause, stop, join, metrics) is the remote agent's.
 *
 * <pre>{@code
 * AgentHandle<Job> parser = rt.spawn("parser", new UntrustedParser(),
 *         SpawnOptions.DEFAULTS.outOfProcess(OutOfProcess.builder().heap(64 << 20).build()));
 * }</pre>
 */
public interface AgentHost {
    /**
     * Prepares a place for {@code behavior}, named {@code name} in {@code runtime}: called once per agent, at spawn,
     * before the agent starts. Nothing runs remotely yet: {@link HostedAgent#watcher()} starts it. {@code mailbox}
     * is the agent's mailbox settings; a host applies what fits its own buffers (the senders' wait for room).
     *
     * @throws IllegalArgumentException if this host cannot run {@code behavior} (say, it cannot be recreated in
     *                                  another process), with the reason
     * @throws IllegalStateException    if the host cannot be set up here (say, the isolation it promises is not
     *                                  available on this system)
     */
    <M extends Sendable> HostedAgent<M> place(AgentRuntime runtime, String name, Behavior<M> behavior,
                                             MailboxSettings mailbox);

    /** A short description for events and logs, such as "child JVM, heap 64 MB, no network". */
    String description();
}
