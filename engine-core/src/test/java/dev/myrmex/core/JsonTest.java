package dev.myrmex.core;

import static dev.myrmex.core.testing.DeepJson.nested;
import static dev.myrmex.core.testing.DeepJson.nestedPlain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.myrmex.core.internal.JsonSupport;
import dev.myrmex.core.json.Json;
import dev.myrmex.core.json.JsonDepthException;
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

    /** The binary form of {@code depth} arrays of one element each around a null, written by hand. */
    private static byte[] nestedBytes(int depth) throws java.io.IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(b)) {
            for (int i = 0; i < depth; i++) {
                out.writeByte('a');
                out.writeInt(1);
            }
            out.writeByte('n');
        }
        return b.toByteArray();
    }

    @Test
    void oneDepthLimitForEveryWayInAndOut() throws Exception {
        int max = Json.MAX_DEPTH;
        Json deepest = nested(max);
        assertEquals(max, deepest.depth());
        assertEquals(0, new Json.Str("s").depth());
        assertEquals(1, new Json.Arr(List.of()).depth());
        assertEquals(deepest, Json.of(nestedPlain(max)));
        assertEquals(deepest, JsonSupport.decode(JsonSupport.encode(deepest)));
        assertEquals(Json.of(deepest.toPlain()), deepest);
        assertTrue(deepest.toJson().startsWith("{\"k\":[{\"k\":["), deepest.toJson().substring(0, 20));
        assertTrue(deepest.toJson().contains("{\"k\":[7]}]}"), "the innermost levels, written out");
        assertEquals(new Json.Arr(List.of(Json.Null.NULL)).depth(), JsonSupport.decode(nestedBytes(1)).depth());
        assertEquals(max, JsonSupport.decode(nestedBytes(max)).depth());

        Json tooDeep = nested(max + 1); // the records' constructors can build it; nothing takes it
        assertEquals(max + 1, tooDeep.depth());
        for (org.junit.jupiter.api.function.Executable refused : List.<org.junit.jupiter.api.function.Executable>of(
                tooDeep::toJson, tooDeep::toString, tooDeep::toPlain, () -> JsonSupport.encode(tooDeep),
                () -> Json.of(nestedPlain(max + 1)))) {
            JsonDepthException e = assertThrows(JsonDepthException.class, refused);
            assertEquals(max, e.limit());
            assertEquals(max + 1, e.depth());
            assertTrue(e.getMessage().contains("more than 512 levels deep, deeper than the limit of 512"),
                    e.getMessage());
        }
        JsonDepthException exact = assertThrows(JsonDepthException.class,
                () -> Json.requireWithinDepth(nested(600), "the input"));
        assertEquals("the input nests 600 levels deep, deeper than the limit of 512 (Json.MAX_DEPTH)",
                exact.getMessage());
        assertSame(deepest, Json.requireWithinDepth(deepest, "the input"));
        java.io.IOException damaged = assertThrows(java.io.IOException.class,
                () -> JsonSupport.decode(nestedBytes(max + 1)));
        assertTrue(damaged.getMessage().contains("more than 512 deep"), damaged.getMessage());

        Json abyss = nested(200_000); // measured and refused, never a StackOverflowError
        assertEquals(200_000, abyss.depth());
        assertThrows(JsonDepthException.class, abyss::toJson);
        Map<String, Object> cycle = new java.util.HashMap<>();
        cycle.put("self", cycle);
        assertThrows(JsonDepthException.class, () -> Json.of(cycle));
    }

    /**
     * Every walk of a value at the limit fits half of a thread's default stack (1 MB on 64-bit Linux), run cold (in
     * the interpreter, whose frames are the largest). Measured: Json.of about 370 KB, encode 340, the rest less.
     */
    @Test
    void walksAtTheLimitFitHalfTheDefaultStack() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Throwable> failed =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread small = new Thread(null, () -> {
            try {
                Json deepest = Json.of(nestedPlain(Json.MAX_DEPTH));
                deepest.toPlain();
                deepest.toJson();
                JsonSupport.decode(JsonSupport.encode(deepest));
            } catch (Throwable e) {
                failed.set(e);
            }
        }, "half-stack", 512 * 1024);
        small.start();
        small.join();
        assertEquals(null, failed.get());
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
