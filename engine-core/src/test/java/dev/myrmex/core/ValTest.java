package dev.myrmex.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Val verification: what passes, and every kind of violation, named by class and component. */
class ValTest {
    enum Side { BUY, SELL }

    record Fill(long qty, long priceMicros) implements Val {
    }

    record Order(String symbol, Side side, int qty, Instant at, List<Fill> fills, Map<String, Long> limits,
                 Optional<String> note, AgentRef<Order> replyTo) implements Val {
    }

    record WithArray(String name, byte[] data) implements Val {
    }

    record WithMutableList(ArrayList<String> items) implements Val {
    }

    record WithList(List<String> items) implements Val {
    }

    record WithBuilder(StringBuilder text) implements Val {
    }

    record Point(int x, int y) { // not a Val
    }

    record WithPlainRecord(Point p) implements Val {
    }

    record WithRawList(@SuppressWarnings("rawtypes") List items) implements Val {
    }

    record Unbounded<T>(T value) implements Val {
    }

    record Envelope<T extends Val>(String to, T body) implements Val {
    }

    interface Shape extends Val {
    }

    record Circle(double r) implements Shape {
    }

    record Blob(int[] cells) implements Shape { // invalid implementation of an open Val type
    }

    record Drawing(List<Shape> shapes) implements Val {
    }

    record Node(String value, Node next) implements Val { // a cycle of types
    }

    static final class Money implements Val {
        private final long micros;
        private final String currency;

        Money(long micros, String currency) {
            this.micros = micros;
            this.currency = currency;
        }
    }

    static final class Counter implements Val {
        @SuppressWarnings("unused")
        private long count; // non-final
    }

    static class OpenClass implements Val { // neither record, enum nor final
    }

    @Test
    void aDeeplyImmutableRecordPassesAndSoDoItsValues() {
        assertDoesNotThrow(() -> Vals.verify(Order.class));
        Order o = new Order("ACME", Side.BUY, 10, Instant.EPOCH, List.of(new Fill(10, 5)), Map.of("max", 100L),
                Optional.of("n"), null);
        assertEquals(o, Vals.check(o));
        assertDoesNotThrow(() -> Vals.check(new Money(1, "EUR")));
        assertDoesNotThrow(() -> Vals.check(new Drawing(List.of(new Circle(1)))));
        assertDoesNotThrow(() -> Vals.check(new Node("a", new Node("b", null))));
        assertDoesNotThrow(() -> Vals.check(new Envelope<>("x", new Fill(1, 2))));
        assertDoesNotThrow(() -> Vals.check(new WithList(Collections.emptyList())));
        assertDoesNotThrow(() -> Vals.check(new WithList(java.util.stream.Stream.of("a").toList())));
    }

    @Test
    void anArrayIsAViolationNamingClassAndComponent() {
        IllegalValException e = assertThrows(IllegalValException.class, () -> Vals.verify(WithArray.class));
        assertEquals(WithArray.class, e.valClass());
        assertEquals("data", e.component());
        assertTrue(e.getMessage().contains(WithArray.class.getName()) && e.getMessage().contains("'data'")
                && e.getMessage().contains("array"), e.getMessage());
        // cached, and thrown afresh with the same words
        assertEquals(e.getMessage(), assertThrows(IllegalValException.class, () -> Vals.verify(WithArray.class))
                .getMessage());
    }

    @Test
    void aMutableCollectionTypeIsAViolation() {
        var e = assertThrows(IllegalValException.class, () -> Vals.verify(WithMutableList.class));
        assertEquals("items", e.component());
        assertTrue(e.getMessage().contains("mutable collection"), e.getMessage());
    }

    @Test
    void aListComponentMustHoldAnUnmodifiableList() {
        assertDoesNotThrow(() -> Vals.verify(WithList.class)); // the declared type is fine
        var e = assertThrows(IllegalValException.class, () -> Vals.check(new WithList(new ArrayList<>(List.of("a")))));
        assertEquals("items", e.component());
        assertTrue(e.getMessage().contains("java.util.ArrayList"), e.getMessage());
        // an unmodifiable view of a mutable list can still change under the receiver
        assertThrows(IllegalValException.class,
                () -> Vals.check(new WithList(Collections.unmodifiableList(new ArrayList<>()))));
    }

    @Test
    void aNonFinalFieldIsAViolation() {
        var e = assertThrows(IllegalValException.class, () -> Vals.verify(Counter.class));
        assertEquals("count", e.component());
        assertTrue(e.getMessage().contains("non-final field"), e.getMessage());
    }

    @Test
    void aNonValClassIsAViolation() {
        var e = assertThrows(IllegalValException.class, () -> Vals.verify(WithBuilder.class));
        assertTrue(e.getMessage().contains("java.lang.StringBuilder") && e.getMessage().contains("'text'"),
                e.getMessage());
        e = assertThrows(IllegalValException.class, () -> Vals.verify(WithPlainRecord.class));
        assertTrue(e.getMessage().contains(Point.class.getName()), e.getMessage());
        e = assertThrows(IllegalValException.class, () -> Vals.verify(OpenClass.class));
        assertTrue(e.getMessage().contains("record, an enum or a final class"), e.getMessage());
    }

    @Test
    void typesThatCannotBeVerifiedAreViolations() {
        assertTrue(assertThrows(IllegalValException.class, () -> Vals.verify(WithRawList.class)).getMessage()
                .contains("raw List"));
        assertTrue(assertThrows(IllegalValException.class, () -> Vals.verify(Unbounded.class)).getMessage()
                .contains("type variable T"));
    }

    @Test
    void openValComponentsAreVerifiedByTheValuesOwnClass() {
        assertDoesNotThrow(() -> Vals.verify(Drawing.class));
        var e = assertThrows(IllegalValException.class, () -> Vals.check(new Drawing(List.of(new Blob(new int[1])))));
        assertEquals(Drawing.class, e.valClass());
        assertEquals("shapes[]", e.component());
        assertTrue(e.getMessage().contains(Blob.class.getName()) && e.getMessage().contains("array"), e.getMessage());

        var e2 = assertThrows(IllegalValException.class, () -> Vals.check(new Envelope<>("x", new WithList(
                new ArrayList<>())))); // a bad value inside a generic envelope
        assertEquals("body", e2.component());
    }
}
