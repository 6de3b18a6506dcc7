package dev.myrmex.core;

/**
 * What may travel in a message: exactly one of three capabilities, after Pony's reference capabilities.
 * <ul>
 *   <li>{@link Val}: deeply immutable, shared freely (a record of primitives, strings, enums, other values...);</li>
 *   <li>{@link Iso}: one uniquely owned object, moved on send: the sender loses it;</li>
 *   <li>{@link Tag}: an identity you can send to but not read ({@link AgentRef}).</li>
 * </ul>
 * The interface is sealed, and agent references are typed {@code AgentRef<M extends Sendable>}, so a payload that is
 * none of the three (a {@code String}, a mutable list) does not compile as a message.
 */
public sealed interface Sendable permits Val, Iso, Tag {
}
