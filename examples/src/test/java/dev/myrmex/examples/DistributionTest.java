package dev.myrmex.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myrmex.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tools' distribution, {@code engine-cli/target/myrmex-cli}, as the README tells a user to use it: copied out of
 * the source tree, its {@code bin/myrmex-cli} runs the journal and admin tools with a JDK 25 from {@code JAVA_HOME}.
 */
class DistributionTest {
    private static final Path DIST = Path.of("").toAbsolutePath().getParent().resolve("engine-cli/target/myrmex-cli");

    private record Run(int exit, String out, String err) {
    }

    private static Run run(Path dir, String... command) throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(Await.WATCHDOG.toSeconds(), TimeUnit.SECONDS), "myrmex-cli did not end");
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theDistributionRunsTheToolsFromAnywhere(@TempDir Path tmp) throws Exception {
        assertTrue(Files.isDirectory(DIST), DIST + " is missing: engine-cli's package phase makes it");
        Path copy = tmp.resolve("myrmex-cli");
        try (Stream<Path> all = Files.walk(DIST)) {
            for (Path p : all.toList()) {
                Files.copy(p, copy.resolve(DIST.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        Path script = copy.resolve("bin/myrmex-cli");
        assertTrue(Files.isExecutable(script), script + " is not executable");
        Run version = run(tmp, script.toString(), "admin", "version");
        assertEquals(0, version.exit(), version.out() + version.err());
        assertTrue(version.out().strip().matches("myrmex admin \\d+\\.\\d+\\.\\d+.*"), version.out());
        assertEquals("", version.err(), "no warning, no banner");
        Run help = run(tmp, script.toString(), "journal", "--help");
        assertEquals(0, help.exit(), help.err());
        assertTrue(help.out().contains("verify") && help.out().contains("export"), help.out());
        Run missing = run(tmp, script.toString(), "journal", "verify", tmp.resolve("no-journal").toString());
        assertEquals(3, missing.exit(), missing.out() + missing.err());
        assertEquals(1, missing.err().strip().lines().count(), "one line: " + missing.err());
        assertEquals(List.of(), missing.out().lines().toList());
    }
}
