package dev.myrmex.core;

import java.io.StringWriter;
import java.net.URI;
import java.util.List;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/** Compiles a source with javax.tools against this module, for the tests that prove what does not compile. */
final class JavacProbe {
    private JavacProbe() {
    }

    /** Whether the source compiled, and the compiler's messages. */
    record Result(boolean ok, String errors) {
    }

    /** Compiles {@code source}, the class {@code className}, against the test class path. */
    static Result compile(String className, String source) {
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
            out = java.nio.file.Files.createTempDirectory("javac-probe");
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
