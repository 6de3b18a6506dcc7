package dev.myrmex.sched.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the jcstress tests in {@link IdleProtocolStress} (quick mode, a child JVM: jcstress forks its own) and checks
 * both halves of the claim: the real protocol never loses a wake-up, and the broken twin does, so the harness can
 * see the bug it guards against. About a minute on two cores.
 */
class IdleProtocolStressTest {
    private static final Pattern TEST_HEADER = Pattern.compile("\\[(\\w+)\\] (dev\\.myrmex\\.\\S+)");
    private static final Pattern LOST_ROW = Pattern.compile("^\\s*true, true\\s+([\\d,]+)");
    private static final Pattern ANY_ROW = Pattern.compile("^\\s*(true|false), (true|false)\\s+([\\d,]+)");

    @Test
    void theProtocolNeverLosesAWakeupAndTheBrokenTwinDoes() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "jcstress"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The same module flags this JVM got from the build (one place: the root pom), nothing else.
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports")
                    || arg.startsWith("--enable-native-access")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.openjdk.jcstress.Main",
                "-t", IdleProtocolStress.class.getName(), "-m", "quick", "-v", "-r", dir.resolve("report").toString()));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "jcstress did not end");
        Files.writeString(dir.resolve("output.txt"), out);

        Map<String, long[]> byTest = tally(out); // test -> {samples, lost, runs, failedRuns}
        long[] protocol = byTest.get(IdleProtocolStress.Protocol.class.getName().replace('$', '.'));
        long[] twin = byTest.get(IdleProtocolStress.BrokenTwin.class.getName().replace('$', '.'));
        assertTrue(protocol != null && twin != null, "jcstress ran neither test; output in " + dir + "/output.txt");
        assertTrue(protocol[0] > 100_000, "too few samples to mean anything: " + protocol[0]);
        assertEquals(0, protocol[1], "lost wake-ups in the real protocol; see " + dir + "/output.txt");
        assertEquals(0, protocol[3], "jcstress reported failed runs of the real protocol");
        assertTrue(twin[1] > 0, "the broken twin never lost a wake-up: the harness cannot see the bug");
    }

    private static Map<String, long[]> tally(String out) {
        Map<String, long[]> byTest = new HashMap<>();
        long[] current = null;
        for (String line : out.split("\\R")) {
            Matcher h = TEST_HEADER.matcher(line);
            if (h.find()) {
                current = byTest.computeIfAbsent(h.group(2), k -> new long[4]);
                current[2]++;
                if (!h.group(1).equals("OK")) {
                    current[3]++;
                }
                continue;
            }
            if (current == null) {
                continue;
            }
            Matcher row = ANY_ROW.matcher(line);
            if (row.find()) {
                current[0] += Long.parseLong(row.group(3).replace(",", ""));
            }
            Matcher lost = LOST_ROW.matcher(line);
            if (lost.find()) {
                current[1] += Long.parseLong(lost.group(1).replace(",", ""));
            }
        }
        return byTest;
    }
}
