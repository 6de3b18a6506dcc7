package dev.myrmex.core;

/**
 * A deeply immutable value: shared between agents freely, never copied, never locked.
 *
 * <pre>{@code
 * record Quote(String symbol, long priceMicros, List<Fill> fills) implements Val {
 *     Quote { fills = List.copyOf(fills); }    // an unmodifiable list, made in the constructor
 * }
 * record Fill(long qty, long priceMicros) implements Val {}
 * }</pre>
 *
 * <p>Mark records (or enums, or final classes whose fields are all final) with it. Each class is verified once,
 * the first time it is sent or given to {@link Vals#verify}: every component must itself be deeply immutable:
 * a primitive or its box, {@code String}, an enum, another {@code Val}, a {@link Tag}, an immutable {@code java.time}
 * value or {@code UUID}, or a {@code List}, {@code Set}, {@code Map} or {@code Optional} of those. A violation (an
 * array, a mutable collection type, a non-final field, a class that is none of these) is an
 * {@link IllegalValException} naming the class and the component. Components whose declared type is open (a
 * collection interface, a {@code Val} interface or type variable) are checked on each value sent: a collection must
 * be one of the JDK's unmodifiable ones ({@code List.of}, {@code List.copyOf}, {@code Stream.toList()}...), and an
 * open {@code Val} is verified by its actual class.
 */
public non-sealed interface Val extends Sendable {
}
