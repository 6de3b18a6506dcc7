package dev.myrmex.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The compile-time half of the capability rules, proven by compiling sources with javax.tools against this module:
 * a payload that is not Sendable does not compile as a message type, Sendable cannot be implemented outside the
 * three capabilities, and a Val record does compile; a handler's context has no {@code receive}, a direct
 * behavior's has.
 */
class CapabilityCompileTest {

    @Test
    void aNonSendablePayloadDoesNotCompile() {
        JavacProbe.Result r = JavacProbe.compile("Bad", """
                import dev.myrmex.core.*;
                class Bad {
                    void send(AgentRef<String> ref) { }
                }
                """);
        assertFalse(r.ok(), "AgentRef<String> compiled");
        assertTrue(r.errors().contains("not within bounds of type-variable M"), r.errors());
    }

    @Test
    void sendableCannotBeImplementedOutsideTheThreeCapabilities() {
        JavacProbe.Result r = JavacProbe.compile("Sneaky", """
                import dev.myrmex.core.*;
                final class Sneaky implements Sendable { }
                """);
        assertFalse(r.ok(), "a fourth capability compiled");
        assertTrue(r.errors().contains("sealed"), r.errors());

        r = JavacProbe.compile("FakeTag", """
                import dev.myrmex.core.*;
                final class FakeTag implements Tag { int mutable; }
                """);
        assertFalse(r.ok(), "a user-made Tag compiled");
        assertTrue(r.errors().contains("sealed"), r.errors());
    }

    @Test
    void aHandlerCannotReceiveButADirectBehaviorCan() {
        JavacProbe.Result r = JavacProbe.compile("Confused", """
                import dev.myrmex.core.*;
                class Confused {
                    record Num(int n) implements Val { }
                    Behavior<Num> handler = Behaviors.nonBlocking((ctx, m) -> ctx.receive());
                }
                """);
        assertFalse(r.ok(), "a handler's receive() compiled");
        assertTrue(r.errors().contains("cannot find symbol") && r.errors().contains("receive"), r.errors());

        r = JavacProbe.compile("Direct", """
                import dev.myrmex.core.*;
                class Direct {
                    record Num(int n) implements Val { }
                    Behavior<Num> loop = ctx -> ctx.reply(ctx.receive(), new Num(1));
                }
                """);
        assertTrue(r.ok(), r.errors());
    }

    @Test
    void aValRecordAndAnIsoCompileAsMessageTypes() {
        JavacProbe.Result r = JavacProbe.compile("Good", """
                import dev.myrmex.core.*;
                class Good {
                    record Quote(String symbol, long priceMicros) implements Val { }
                    void send(AgentRef<Quote> quotes, AgentRef<Iso<StringBuilder>> buffers,
                            AgentRef<AgentRef<Quote>> refs) { }
                }
                """);
        assertTrue(r.ok(), r.errors());
    }
}
