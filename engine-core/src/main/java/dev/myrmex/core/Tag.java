package dev.myrmex.core;

/**
 * A capability that is identity only: it can be sent, compared and used as an address, never read. Sealed: the
 * runtime's own identities ({@link AgentRef}) are the only tags, so no mutable state can pass as one.
 */
public sealed interface Tag extends Sendable permits AgentRef {
}
