package dev.myrmex.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.net.URI;
import java.util.List;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
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
        Result r = compile("Bad", """
                import dev.myrmex.core.*;
                class Bad {
                    void send(AgentRef<String> ref) { }
                }
                """);
        assertFalse(r.ok, "AgentRef<String> compiled");
        assertTrue(r.errors.contains("not within bounds of type-variable M"), r.errors);
    }

    @Test
    void sendableCannotBeImplementedOutsideTheThreeCapabilities() {
        Result r = compile("Sneaky", """
                import dev.myrmex.core.*;
                final class Sneaky implements Sendable { }
                """);
        assertFalse(r.ok, "a fourth capability compiled");
        assertTrue(r.errors.contains("sealed"), r.errors);

        r = compile("FakeTag", """
                import dev.myrmex.core.*;
                final class FakeTag implements Tag { int mutable; }
                """);
        assertFalse(r.ok, "a user-made Tag compiled");
        assertTrue(r.errors.contains("sealed"), r.errors);
    }

    @Test
    void aHandlerCannotReceiveButADirectBehaviorCan() {
        Result r = compile("Confused", """
                import dev.myrmex.core.*;
                class Confused {
                    record Num(int n) implements Val { }
                    Behavior<Num> handler = Behaviors.nonBlocking((ctx, m) -> ctx.receive());
                }
                """);
        assertFalse(r.ok, "a handler's receive() compiled");
        assertTrue(r.errors.contains("cannot find symbol") && r.errors.contains("receive"), r.errors);

        r = compile("Direct", """
                import dev.myrmex.core.*;
                class Direct {
                    record Num(int n) implements Val { }
                    Behavior<Num> loop = ctx -> ctx.reply(ctx.receive(), new Num(1));
                }
                """);
        assertTrue(r.ok, r.errors);
    }

    @Test
    void aValRecordAndAnIsoCompileAsMessageTypes() {
        Result r = compile("Good", """
                import dev.myrmex.core.*;
                class Good {
                    record Quote(String symbol, long priceMicros) implements Val { }
                    void send(AgentRef<Quote> quotes, AgentRef<Iso<StringBuilder>> buffers,
                            AgentRef<AgentRef<Quote>> refs) { }
                }
                """);
        assertTrue(r.ok, r.errors);
    }

    private record Result(boolean ok, String errors) {
    }

    private static Result compile(String className, String source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + className + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        java.nio.file.Path out;
        try {
            out = java.nio.file.Files.createTempDirectory("capability-compile");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", out.toString(),
                "-proc:none");
        boolean ok = javac.getTask(new StringWriter(), null, diagnostics, options, null, List.of(file)).call();
        StringBuilder errors = new StringBuilder();
        diagnostics.getDiagnostics().forEach(d -> errors.append(d.getMessage(null)).append('\n'));
        return new Result(ok, errors.toString());
    }
}
