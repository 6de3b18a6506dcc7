package dev.myrmex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.myrmex.core.internal.JsonSupport;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void plainDataConvertsBothWays() {
        Map<String, Object> plain = new LinkedHashMap<>();
        plain.put("b", List.of(1, 2.5, "x", true));
        plain.put("a", null);
        plain.put("n", Map.of("deep", 7L));
        Json j = Json.of(plain);
        assertEquals(new Json.Obj(Map.of("b", new Json.Arr(List.of(new Json.Int(1), new Json.Dec(2.5),
                new Json.Str("x"), new Json.Bool(true))), "a", Json.Null.NULL, "n",
                new Json.Obj(Map.of("deep", new Json.Int(7))))), j);
        Map<String, Object> back = new LinkedHashMap<>();
        back.put("a", null);
        back.put("b", List.of(1L, 2.5, "x", true));
        back.put("n", Map.of("deep", 7L));
        assertEquals(back, j.toPlain());
        assertEquals("{\"a\":null,\"b\":[1,2.5,\"x\",true],\"n\":{\"deep\":7}}", j.toJson());
        assertSame(j, Json.of(j));
        assertEquals(new Json.Int(12), Json.of(new BigDecimal("12.000")));
        assertEquals(new Json.Dec(1.25), Json.of(new BigDecimal("1.25")));
        assertEquals("\"q\\\"\\\\\\n\\u0001\"", new Json.Str("q\"\\\n\u0001").toJson());
    }

    @Test
    void whatJsonCannotHoldIsRefusedNamingWhere() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.of(Map.of("list", List.of(1, new Object()))));
        assertTrue(e.getMessage().startsWith("$.list[1]: a java.lang.Object"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.of(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.of(BigInteger.TWO.pow(70)));
        assertThrows(IllegalArgumentException.class, () -> Json.of(Map.of(1, "x")));
    }

    @Test
    void jsonIsAValAndCanBeSent() {
        Vals.check(Json.of(Map.of("a", List.of(1, Map.of("b", "c")))));
        Vals.verify(Json.Obj.class);
        Vals.check(Json.Null.NULL);
    }

    @Test
    void theBinaryFormReadsBackEveryValueAndRefusesDamage() {
        qt().withExamples(300).forAll(longs().all(), integers().between(0, 6)).checkAssert((seed, depth) -> {
            Json j = random(new Random(seed), depth);
            byte[] bytes = JsonSupport.encode(j);
            try {
                assertEquals(j, JsonSupport.decode(bytes));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            if (bytes.length > 1) { // a cut value is an IOException, never garbage or a runtime exception
                byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 1);
                assertThrows(java.io.IOException.class, () -> JsonSupport.decode(cut));
            }
        });
    }

    private static Json random(Random r, int depth) {
        int kind = depth == 0 ? 2 + r.nextInt(5) : r.nextInt(7);
        return switch (kind) {
            case 0 -> {
                Map<String, Json> m = new LinkedHashMap<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    m.put("k" + r.nextInt(100) + "\u00e9", random(r, depth - 1));
                }
                yield new Json.Obj(m);
            }
            case 1 -> {
                List<Json> l = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    l.add(random(r, depth - 1));
                }
                yield new Json.Arr(l);
            }
            case 2 -> new Json.Str("s" + r.nextLong());
            case 3 -> new Json.Int(r.nextLong());
            case 4 -> new Json.Dec(r.nextDouble() * 1e6);
            case 5 -> new Json.Bool(r.nextBoolean());
            default -> Json.Null.NULL;
        };
    }
}
