package dev.myrmex.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Use Myrmex in your project", followed as written: a throw-away project whose pom holds the
 * section's Maven snippet (the BOM import and a version-less {@code engine-core}) is built by Maven against the
 * artifacts this build has just installed, and run with the section's JVM flags. It must print its answer, and its
 * error stream must carry no JVM warning and no SLF4J complaint. The project adds only what the section tells a user
 * to bring: a class of their own and an SLF4J binding.
 */
class UserProjectTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final String SECTION = "## Use Myrmex in your project";

    /** The user's program: a typed ask of a handler agent. */
    private static final String MAIN = """
            package user;

            import dev.myrmex.core.AgentRef;
            import dev.myrmex.core.AgentRuntime;
            import dev.myrmex.core.Behaviors;
            import dev.myrmex.core.Request;
            import dev.myrmex.core.Val;
            import java.time.Duration;

            public final class Main {
                sealed interface Account extends Val permits Deposit, GetBalance { }
                record Deposit(long amount) implements Account { }
                record GetBalance() implements Account, Request<Account, Balance> { }
                record Balance(long amount) implements Val { }

                public static void main(String[] args) throws Exception {
                    try (AgentRuntime rt = AgentRuntime.builder().workers(2).build()) {
                        rt.start();
                        long[] balance = {0};
                        AgentRef<Account> account = rt.spawn("account", Behaviors.<Account>nonBlocking((ctx, m) -> {
                            switch (m.payload()) {
                                case Deposit d -> balance[0] += d.amount();
                                case GetBalance g -> ctx.reply(g, new Balance(balance[0]));
                            }
                        })).ref();
                        account.signal(new Deposit(40));
                        account.signal(new Deposit(2));
                        Balance b = account.ask(new GetBalance(), Duration.ofSeconds(30)).get();
                        System.out.println("user project: balance " + b.amount());
                    }
                }
            }
            """;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a first build downloads Maven's default plugins
    void aProjectMadeFromTheReadmeBuildsAndRunsAgainstTheInstalledArtifacts(@TempDir Path dir) throws Exception {
        String section = section(Files.readString(ROOT.resolve("README.md")));
        String dependencies = block(section, "```xml");
        String slf4j = versionOf("slf4j.version");
        Files.writeString(dir.resolve("pom.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                    <modelVersion>4.0.0</modelVersion>
                    <groupId>user</groupId>
                    <artifactId>user-project</artifactId>
                    <version>1</version>
                    <properties>
                        <maven.compiler.release>25</maven.compiler.release>
                        <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                    </properties>
                """ + withBinding(dependencies, slf4j) + "\n</project>\n");
        Path source = dir.resolve("src/main/java/user/Main.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, MAIN);

        List<String> maven = new ArrayList<>(List.of(ROOT.resolve("mvnw").toString(), "-B", "-ntp", "-q",
                "-f", dir.resolve("pom.xml").toString(), "compile", "dependency:build-classpath",
                "-Dmdep.outputFile=" + dir.resolve("classpath.txt")));
        String repository = System.getProperty("myrmex.localRepository");
        if (repository != null && !repository.isBlank()) {
            maven.add("-Dmaven.repo.local=" + repository);
        }
        Run build = run(dir, maven);
        assertEquals(0, build.exit, "the user project did not build:\n" + build.out + build.err);

        String classpath = dir.resolve("target/classes") + File.pathSeparator
                + Files.readString(dir.resolve("classpath.txt")).strip();
        List<String> flags = flags(section);
        assertProgramAnswers(dir, flags, classpath);

        // the same flags from the argument file the installed engine-core jar carries, passed as java @file
        Path jar = Arrays.stream(classpath.split(File.pathSeparator)).map(Path::of)
                .filter(p -> p.getFileName().toString().startsWith("engine-core-")).findFirst()
                .orElseThrow(() -> new AssertionError("no engine-core jar on the classpath: " + classpath));
        Path argFile = dir.resolve("myrmex.args");
        try (JarFile j = new JarFile(jar.toFile())) {
            JarEntry entry = j.getJarEntry("META-INF/myrmex/engine-core.args");
            assertTrue(entry != null, jar + " carries no META-INF/myrmex/engine-core.args");
            try (InputStream in = j.getInputStream(entry)) {
                Files.write(argFile, in.readAllBytes());
            }
        }
        assertEquals(Set.copyOf(flags), Set.copyOf(Arrays.asList(Files.readString(argFile).strip().split("\\s+"))),
                "the jar's argument file holds the README's flags");
        assertTrue(section.contains("java @myrmex.args -cp"), "the README shows the argument file in use");
        assertProgramAnswers(dir, List.of("@" + argFile), classpath);
    }

    /** Runs the user's program with {@code flags}: it must answer, with no warning on its error stream. */
    private static void assertProgramAnswers(Path dir, List<String> flags, String classpath) throws Exception {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.addAll(flags);
        java.addAll(List.of("-cp", classpath, "user.Main"));
        Run program = run(dir, java);
        assertEquals(0, program.exit, flags + ": " + program.out + program.err);
        assertTrue(program.out.contains("user project: balance 42"), program.out);
        for (String line : program.err.lines().toList()) {
            assertTrue(!line.contains("WARNING") && !line.contains("SLF4J"), "a warning on the error stream with "
                    + flags + ": " + line + "\n" + program.err);
        }
    }

    /** The README's dependencies, with the SLF4J binding the section tells a user to bring added to the last list. */
    private static String withBinding(String dependencies, String version) {
        int end = dependencies.lastIndexOf("</dependencies>");
        return dependencies.substring(0, end) + """
                    <dependency>
                        <groupId>org.slf4j</groupId>
                        <artifactId>slf4j-simple</artifactId>
                        <version>%s</version>
                    </dependency>
                """.formatted(version) + dependencies.substring(end);
    }

    private static String section(String readme) {
        int start = readme.indexOf(SECTION);
        assertTrue(start >= 0, "the README has no section " + SECTION);
        int end = readme.indexOf("\n## ", start + SECTION.length());
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** The first fenced block that opens with {@code fence}. */
    private static String block(String section, String fence) {
        int start = section.indexOf(fence);
        assertTrue(start >= 0, "no " + fence + " block in the README's section");
        int from = section.indexOf('\n', start) + 1;
        return section.substring(from, section.indexOf("```", from));
    }

    /** The flags of the section's {@code java ...} command line (continued lines joined). */
    private static List<String> flags(String section) {
        String line = section.replace("\\\n", " ").lines().filter(l -> l.startsWith("java ")).findFirst()
                .orElseThrow(() -> new AssertionError("no java command line in the README's section"));
        return Arrays.stream(line.split("\\s+")).filter(t -> t.startsWith("--")).toList();
    }

    /** A version the root pom pins, by its property name. */
    private static String versionOf(String property) throws Exception {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        int start = pom.indexOf("<" + property + ">") + property.length() + 2;
        return pom.substring(start, pom.indexOf("</" + property + ">", start));
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(Path dir, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path out = dir.resolve("out-" + System.nanoTime() + ".txt");
        Path err = dir.resolve("err-" + System.nanoTime() + ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(9, TimeUnit.MINUTES)) {
                throw new AssertionError("did not end within 9 minutes: " + command);
            }
        } finally {
            p.destroyForcibly(); // by process id: nothing of it outlives the test
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
